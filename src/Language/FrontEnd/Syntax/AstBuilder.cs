using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Runtime.CompilerServices;
using Antlr4.Runtime;
using Antlr4.Runtime.Tree;
using OdeDsl.Language.Ast;
using OdeDsl.Language.Syntax.Generated;

namespace OdeDsl.Language.Syntax;

/// <summary>
/// The one place that reads ANTLR's parse tree: turns it into the immutable AST. Only called on
/// trees without syntax errors, so every required child is present. Reports the few errors that
/// the grammar accepts but the language does not (a number too large, 'foo/dt' as an equation).
/// </summary>
internal sealed class AstBuilder : OdeBaseVisitor<Expression>
{
    private readonly string filePath;
    private readonly LineMap lines;
    private readonly DiagnosticBag diagnostics;

    public AstBuilder(string filePath, LineMap lines, DiagnosticBag diagnostics)
    {
        this.filePath = filePath;
        this.lines = lines;
        this.diagnostics = diagnostics;
    }

    public OdeFile BuildFile(OdeParser.FileContext context)
    {
        NamespaceDeclaration? ns = context.namespaceDeclaration() is { } n
            ? new NamespaceDeclaration(n.qualifiedName().GetText(), lines.Of(n.qualifiedName()))
            : null;
        return new OdeFile(filePath, ns, context.modelDeclaration().Select(BuildModel).ToEquatableArray(), lines.Of(context));
    }

    private ModelDeclaration BuildModel(OdeParser.ModelDeclarationContext context)
    {
        ModelKind kind = context.kind.Type == OdeLexer.FLOW ? ModelKind.Flow : ModelKind.Model;
        var members = new List<MemberDeclaration>();
        foreach (OdeParser.MemberContext member in context.member())
        {
            if (BuildMember(member) is { } built)
                members.Add(built);
        }
        return new ModelDeclaration(kind, Name(context.name), members.ToEquatableArray(), lines.Of(context));
    }

    private MemberDeclaration? BuildMember(OdeParser.MemberContext context)
    {
        SourceSpan span = lines.Of(context);
        switch (context)
        {
            case OdeParser.StateMemberContext state:
                return new StateDeclaration(state.stateDeclarator().Select(d =>
                    new StateDeclarator(Name(d.name), Dimensions(d.shape()), lines.Of(d))).ToEquatableArray(), span);
            case OdeParser.ParamValueMemberContext param:
                return new ParamDeclaration(Name(param.name), EquatableArray<Expression>.Empty, Visit(param.expr()), null, span);
            case OdeParser.ParamInitializedMemberContext param:
                OdeParser.InitializerContext init = param.initializer();
                var initializer = new InitializerSyntax(Name(init.name), Arguments(init.arguments()), lines.Of(init));
                return new ParamDeclaration(Name(param.name), Dimensions(param.shape()), null, initializer, span);
            case OdeParser.ConstMemberContext constant:
                return new ConstDeclaration(Name(constant.name), Visit(constant.expr()), span);
            case OdeParser.LayerMemberContext layer:
                return new LayerDeclaration(Name(layer.name), Name(layer.kind), Arguments(layer.arguments()), span);
            case OdeParser.LetMemberContext let:
                return new LetDeclaration(Name(let.name), Visit(let.expr()), span);
            case OdeParser.EquationMemberContext equation:
                return BuildEquation(equation, span);
            default:
                return null;
        }
    }

    /// <summary><c>dx/dt</c> lexes as the names 'dx' and 'dt'; the state is 'dx' without its 'd'.</summary>
    private EquationDeclaration? BuildEquation(OdeParser.EquationMemberContext context, SourceSpan span)
    {
        IToken numerator = context.numerator, denominator = context.denominator;
        if (numerator.Text.Length < 2 || numerator.Text[0] != 'd' || denominator.Text != "dt")
        {
            SourceSpan at = lines.Span(numerator.StartIndex, denominator.StopIndex + 1);
            diagnostics.Add(DiagnosticCatalog.MalformedEquation(filePath, at, numerator.Text, denominator.Text));
            return null;
        }
        var state = new Identifier(numerator.Text.Substring(1), lines.Span(numerator.StartIndex + 1, numerator.StopIndex + 1));
        return new EquationDeclaration(state, Visit(context.expr()), span);
    }

    // ---- Expressions ------------------------------------------------------------------------

    public override Expression Visit(IParseTree tree)
    {
        // Expressions recurse once per level of nesting: fail softly (ODE0009) rather than overflow.
        RuntimeHelpers.EnsureSufficientExecutionStack();
        return base.Visit(tree);
    }

    public override Expression VisitIndexExpr(OdeParser.IndexExprContext context)
    {
        Expression target = Visit(context.expr());
        return context.index() switch
        {
            OdeParser.SliceIndexContext slice => new SliceExpression(
                target,
                slice.start is null ? null : Visit(slice.start),
                slice.end is null ? null : Visit(slice.end),
                lines.Of(context)),
            OdeParser.ElementIndexContext element => new IndexExpression(target, Visit(element.expr()), lines.Of(context)),
            _ => target,
        };
    }

    public override Expression VisitPowerExpr(OdeParser.PowerExprContext context) =>
        new BinaryExpression(BinaryOperator.Power, Visit(context.expr(0)), Visit(context.expr(1)), lines.Of(context));

    public override Expression VisitNegateExpr(OdeParser.NegateExprContext context) =>
        new NegateExpression(Visit(context.expr()), lines.Of(context));

    public override Expression VisitMultiplicativeExpr(OdeParser.MultiplicativeExprContext context)
    {
        BinaryOperator op = context.op.Type switch
        {
            OdeLexer.STAR => BinaryOperator.Multiply,
            OdeLexer.SLASH => BinaryOperator.Divide,
            _ => BinaryOperator.MatrixMultiply,
        };
        return new BinaryExpression(op, Visit(context.expr(0)), Visit(context.expr(1)), lines.Of(context));
    }

    public override Expression VisitAdditiveExpr(OdeParser.AdditiveExprContext context)
    {
        BinaryOperator op = context.op.Type == OdeLexer.PLUS ? BinaryOperator.Add : BinaryOperator.Subtract;
        return new BinaryExpression(op, Visit(context.expr(0)), Visit(context.expr(1)), lines.Of(context));
    }

    public override Expression VisitCallExpr(OdeParser.CallExprContext context) =>
        new CallExpression(NameOf(context.qualifiedName()), Arguments(context.arguments()), lines.Of(context));

    public override Expression VisitNameExpr(OdeParser.NameExprContext context) => NameOf(context.qualifiedName());

    public override Expression VisitNumberExpr(OdeParser.NumberExprContext context)
    {
        IToken token = context.NUMBER().Symbol;
        SourceSpan span = lines.Of(token);
        // .NET Framework fails to parse an overflowing number, .NET Core returns infinity: both are errors.
        bool parsed = double.TryParse(token.Text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value);
        if (!parsed || double.IsInfinity(value) || double.IsNaN(value))
        {
            diagnostics.Add(DiagnosticCatalog.NumberOutOfRange(filePath, span, token.Text));
            value = 0;
        }
        return new NumberLiteral(token.Text, value, span);
    }

    public override Expression VisitParenthesizedExpr(OdeParser.ParenthesizedExprContext context) => Visit(context.expr());

    public override Expression VisitConcatenationExpr(OdeParser.ConcatenationExprContext context) =>
        new ConcatenationExpression(context.expr().Select(Visit).ToEquatableArray(), lines.Of(context));

    // ---- Helpers ----------------------------------------------------------------------------

    private NameReference NameOf(OdeParser.QualifiedNameContext context) => new(context.GetText(), lines.Of(context));

    private Identifier Name(IToken token) => new(token.Text, lines.Of(token));

    private EquatableArray<Expression> Dimensions(OdeParser.ShapeContext? shape) =>
        shape is null ? EquatableArray<Expression>.Empty : shape.expr().Select(Visit).ToEquatableArray();

    private EquatableArray<Expression> Arguments(OdeParser.ArgumentsContext? arguments) =>
        arguments is null ? EquatableArray<Expression>.Empty : arguments.expr().Select(Visit).ToEquatableArray();
}
