// The grammar of .ode files (see /docs and LANGUAGE.md). antlr-ng turns it into the C# under
// Generated/ (scripts/generate-parser.sh); SyntaxTreeBuilder turns its parse trees into the AST.
//
// Precedence, tightest first:  postfix [index]  >  ^ (right-assoc)  >  unary -  >  * / @  >  + -
// '@' sits with '*' and '/' (as in Python/numpy), so `W @ x + b` means `(W @ x) + b`.
grammar Ode;

// ---- Files and declarations ---------------------------------------------------------------

file
    : namespaceDeclaration? modelDeclaration* EOF
    ;

namespaceDeclaration
    : NAMESPACE qualifiedName SEMI
    ;

modelDeclaration
    : kind=(MODEL | FLOW) name=IDENT LBRACE member* RBRACE
    ;

member
    : STATE stateDeclarator (COMMA stateDeclarator)* SEMI                  # stateMember
    | PARAM name=IDENT ASSIGN expr SEMI                                    # paramValueMember
    | PARAM name=IDENT shape? TILDE initializer SEMI                       # paramInitializedMember
    | CONST name=IDENT ASSIGN expr SEMI                                    # constMember
    | LAYER name=IDENT ASSIGN kind=IDENT LPAREN arguments? RPAREN SEMI     # layerMember
    | LET name=IDENT ASSIGN expr SEMI                                      # letMember
    | numerator=IDENT SLASH denominator=IDENT ASSIGN expr SEMI             # equationMember
    ;

stateDeclarator
    : name=IDENT shape?
    ;

shape
    : LBRACK expr (COMMA expr)* RBRACK
    ;

initializer
    : name=IDENT (LPAREN arguments? RPAREN)?
    ;

qualifiedName
    : IDENT (DOT IDENT)*
    ;

// ---- Expressions (alternatives listed from tightest to loosest) ----------------------------

expr
    : expr LBRACK index RBRACK                                  # indexExpr
    | <assoc = right> expr CARET expr                           # powerExpr
    | MINUS expr                                                # negateExpr
    | expr op=(STAR | SLASH | AT) expr                          # multiplicativeExpr
    | expr op=(PLUS | MINUS) expr                               # additiveExpr
    | qualifiedName LPAREN arguments? RPAREN                    # callExpr
    | qualifiedName                                             # nameExpr
    | NUMBER                                                    # numberExpr
    | LPAREN expr RPAREN                                        # parenthesizedExpr
    | LBRACK expr (SEMI expr)* RBRACK                           # concatenationExpr
    ;

index
    : expr                                                      # elementIndex
    | start=expr? COLON end=expr?                               # sliceIndex
    ;

arguments
    : expr (COMMA expr)*
    ;

// ---- Tokens ----------------------------------------------------------------------------------

NAMESPACE : 'namespace';
MODEL     : 'model';
FLOW      : 'flow';
STATE     : 'state';
PARAM     : 'param';
CONST     : 'const';
LAYER     : 'layer';
LET       : 'let';

NUMBER : DIGITS ('.' DIGITS?)? EXPONENT? | '.' DIGITS EXPONENT?;
// A number glued to letters (`1e`, `2x`, `3.0f`): one token, so the error names all of it.
MALFORMED_NUMBER : (DIGITS ('.' DIGITS?)? | '.' DIGITS) [a-zA-Z_] [a-zA-Z0-9_]*;

IDENT : [a-zA-Z_] [a-zA-Z0-9_]*;
// A name with a non-ASCII letter (`σ`, `café`): one token, reported at the first such character.
NON_ASCII_IDENT : [a-zA-Z0-9_]* NON_ASCII [a-zA-Z0-9_\u0080-\u{10FFFF}]*;

LPAREN : '(';
RPAREN : ')';
LBRACK : '[';
RBRACK : ']';
LBRACE : '{';
RBRACE : '}';
SEMI   : ';';
COMMA  : ',';
DOT    : '.';
COLON  : ':';
ASSIGN : '=';
TILDE  : '~';
PLUS   : '+';
MINUS  : '-';
STAR   : '*';
SLASH  : '/';
CARET  : '^';
AT     : '@';

LINE_COMMENT  : '//' ~[\r\n]* -> channel(HIDDEN);
// Also matches an unterminated comment (up to the end of the file), which the lexer wrapper reports.
BLOCK_COMMENT : '/*' (~'*' | '*'+ ~[*/])* '*'* '/'? -> channel(HIDDEN);
WHITESPACE    : [ \t\r\n\f]+ -> channel(HIDDEN);

// Anything else: one token per run, reported by the lexer wrapper and then skipped.
INVALID_CHARACTERS : ~[a-zA-Z0-9_\u0080-\u{10FFFF} \t\r\n\f()[\]{};,.:=~+\-*/^@]+;

fragment DIGITS   : [0-9]+;
fragment EXPONENT : [eE] [+-]? DIGITS;
fragment NON_ASCII : [\u0080-\u{10FFFF}];
