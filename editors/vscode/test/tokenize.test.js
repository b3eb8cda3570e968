// Tokenises .ode files with the extension's TextMate grammar (vscode-textmate + the Oniguruma WebAssembly, the
// engine VS Code uses) and checks the scopes. Run: `npm ci && npm test` (or `node --test test/`) in editors/vscode.
'use strict';

const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { tokenize, extensionRoot } = require('../tools/tokenize');

const repoRoot = path.resolve(extensionRoot, '..', '..');
const specDir = path.join(repoRoot, 'spec', 'models');

function odeFilesIn(dir) {
    return fs.readdirSync(dir).filter((f) => f.endsWith('.ode')).map((f) => path.join(dir, f));
}

const specModels = odeFilesIn(specDir);
// Every other .ode file of the repository: examples, test and benchmark models.
function allOdeFiles(dir) {
    return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
        if (e.isDirectory()) {
            return ['node_modules', 'bin', 'obj', '.git'].includes(e.name) ? [] : allOdeFiles(path.join(dir, e.name));
        }
        return e.name.endsWith('.ode') ? [path.join(dir, e.name)] : [];
    });
}
const otherModels = allOdeFiles(repoRoot).filter((f) => !specModels.includes(f));

const tokenized = new Map();
async function tokensOf(file) {
    if (!tokenized.has(file)) tokenized.set(file, await tokenize(fs.readFileSync(file, 'utf8')));
    return tokenized.get(file);
}

/**
 * The `occurrence`-th (0-based) token whose text is exactly `needle`, in the whole text or on line `line`; with
 * `whole: false`, the token where the `occurrence`-th occurrence of `needle` in the text starts.
 */
function tokenFor(lines, needle, { line, occurrence = 0, whole = true } = {}) {
    let seen = 0;
    for (const l of lines) {
        if (line !== undefined && l.line !== line) continue;
        if (whole) {
            for (const t of l.tokens) {
                if (t.text === needle && seen++ === occurrence) return t;
            }
            continue;
        }
        for (let column = l.text.indexOf(needle); column >= 0; column = l.text.indexOf(needle, column + 1)) {
            if (seen++ === occurrence) return l.tokens.find((t) => t.start <= column && column < t.end);
        }
    }
    const where = line === undefined ? '' : ` on line ${line}`;
    const got = line === undefined ? '' : `; tokens there: ${lines[line - 1].tokens.map((t) => JSON.stringify(t.text)).join(' ')}`;
    assert.fail(`no token ${JSON.stringify(needle)} (occurrence ${occurrence})${where}${got}`);
}

/** Asserts that `needle`'s token has a scope starting with `prefix`. */
function assertScope(lines, needle, prefix, options) {
    const token = tokenFor(lines, needle, options);
    assert.ok(token.scopes.some((s) => s.startsWith(prefix)),
        `${JSON.stringify(needle)} should have a scope ${prefix}…, has: ${token.scopes.join(' ')}`);
    return token;
}

/** The scopes that say what a token is: all but source.ode and meta.* (which only group). */
function meaningfulScopes(token) {
    return token.scopes.filter((s) => s !== 'source.ode' && !s.startsWith('meta.'));
}

test('the spec models are there', () => {
    assert.ok(specModels.length >= 7, `spec models found: ${specModels.length}`);
    for (const name of ['lorenz', 'spiral', 'cnf2d', 'robertson', 'vanderpol', 'damped_pendulum', 'mlp_time']) {
        assert.ok(specModels.some((f) => path.basename(f) === `${name}.ode`), `${name}.ode`);
    }
});

// Every non-blank token of every spec model and every other .ode file of the repository has a scope that says what it is (plain identifiers are
// variable.other.ode), and nothing in them is scoped invalid.
for (const file of [...specModels, ...otherModels]) {
    test(`every token of ${path.relative(repoRoot, file)} is scoped, none invalid`, async () => {
        const lines = await tokensOf(file);
        let checked = 0;
        for (const l of lines) {
            for (const t of l.tokens) {
                if (t.text.trim() === '') continue;
                checked++;
                const where = `${path.basename(file)}:${l.line}:${t.start + 1} ${JSON.stringify(t.text)}`;
                assert.ok(meaningfulScopes(t).length > 0, `${where} has no scope beyond ${t.scopes.join(' ')}`);
                assert.ok(!t.scopes.some((s) => s.startsWith('invalid.')), `${where} is ${t.scopes.join(' ')}`);
                // Every token is one lexical unit: no token mixes spaces with text (but comments).
                if (!t.scopes.some((s) => s.startsWith('comment.'))) {
                    assert.ok(!/\s/.test(t.text.trim()), `${where} spans more than one word`);
                }
            }
        }
        assert.ok(checked > 20);
    });
}

test('lorenz.ode: keywords, names, numbers, comments, derivatives, operators', async () => {
    const lines = await tokensOf(path.join(specDir, 'lorenz.ode'));
    assertScope(lines, '//', 'punctuation.definition.comment', { line: 1 });
    const comment = tokenFor(lines, ' The Lorenz system', { whole: false });
    assert.ok(comment.scopes.includes('comment.line.double-slash.ode'));
    assert.equal(comment.end, lines[0].text.length, 'the comment runs to the end of the line');

    assertScope(lines, 'namespace', 'keyword.declaration.namespace.ode');
    assertScope(lines, 'Examples', 'entity.name.namespace.ode');
    assertScope(lines, '.', 'punctuation.accessor.ode', { line: 2 });
    assertScope(lines, 'Physics', 'entity.name.namespace.ode');
    assertScope(lines, 'model', 'keyword.declaration.model.ode', { line: 4 });
    assertScope(lines, 'Lorenz', 'entity.name.type.model.ode', { line: 4 });
    assertScope(lines, '{', 'punctuation.section.block.begin.ode');
    assertScope(lines, 'state', 'keyword.declaration.state.ode');
    for (const s of ['x', 'y', 'z']) assertScope(lines, s, 'entity.name.variable.state.ode', { line: 5 });
    assertScope(lines, ',', 'punctuation.separator.comma.ode', { line: 5 });
    assertScope(lines, 'param', 'keyword.declaration.param.ode');
    assertScope(lines, 'sigma', 'entity.name.variable.parameter.ode');
    assertScope(lines, '10.0', 'constant.numeric.float.ode');
    assertScope(lines, '28.0', 'constant.numeric');
    assertScope(lines, '8.0', 'constant.numeric');
    assertScope(lines, '3.0', 'constant.numeric');
    assertScope(lines, '/', 'keyword.operator.arithmetic.ode', { line: 8 });
    assertScope(lines, ';', 'punctuation.terminator.statement.ode', { line: 8 });

    // dx/dt: the derivative form, `d` + the state + `/dt`.
    const dx = lines.find((l) => l.text.includes('dx/dt'));
    const derivative = dx.tokens.filter((t) => t.scopes.includes('meta.derivative.ode'));
    assert.equal(derivative.map((t) => t.text).join(''), 'dx/dt');
    assert.deepEqual(derivative.map((t) => t.scopes.at(-1)), [
        'keyword.other.derivative.ode', 'variable.other.state.ode', 'keyword.other.derivative.ode', 'keyword.other.derivative.ode',
    ]);
    for (const s of ['dy/dt', 'dz/dt']) {
        const l = lines.find((x) => x.text.includes(s));
        assert.equal(l.tokens.filter((t) => t.scopes.includes('meta.derivative.ode')).map((t) => t.text).join(''), s);
    }
    assertScope(lines, '=', 'keyword.operator.assignment.ode', { line: 10 });
    assertScope(lines, '*', 'keyword.operator.arithmetic.ode', { line: 10 });
    assertScope(lines, '(', 'punctuation.section.parens.begin.ode', { line: 10 });
    assertScope(lines, 'y', 'variable.other.ode', { line: 10 });
    assertScope(lines, '-', 'keyword.operator.arithmetic.ode', { line: 10 });
    assertScope(lines, ')', 'punctuation.section.parens.end.ode', { line: 10 });
    assertScope(lines, 'beta', 'variable.other.ode', { line: 12 });
    assertScope(lines, '}', 'punctuation.section.block.end.ode');
});

test('spiral.ode: @, ^, initialisers after ~, shapes, built-in calls, trailing comments', async () => {
    const lines = await tokensOf(path.join(specDir, 'spiral.ode'));
    assertScope(lines, '@', 'keyword.operator.matmul.ode');
    assertScope(lines, '@', 'keyword.operator.matmul.ode', { occurrence: 1 });
    assertScope(lines, '^', 'keyword.operator.power.ode');
    assertScope(lines, '~', 'keyword.operator.initializer.ode');
    assertScope(lines, 'glorot', 'support.function.initializer.ode');
    assertScope(lines, 'zeros', 'support.function.initializer.ode');
    assertScope(lines, 'W1', 'entity.name.variable.parameter.ode');
    assertScope(lines, '[', 'punctuation.section.brackets.begin.ode');
    assertScope(lines, '50', 'constant.numeric.integer.ode');
    assertScope(lines, 'tanh', 'support.function.builtin.ode');
    const comment = tokenFor(lines, ' ^ is elementwise on vectors', { whole: false });
    assert.ok(comment.scopes.includes('comment.line.double-slash.ode'));
    assertScope(lines, 'y', 'entity.name.variable.state.ode', { line: 5 });
});

test('cnf2d.ode: flow, layers, calls, [a; t] concatenation, t', async () => {
    const lines = await tokensOf(path.join(specDir, 'cnf2d.ode'));
    assertScope(lines, 'flow', 'keyword.declaration.flow.ode', { line: 5 });
    assertScope(lines, 'Cnf2d', 'entity.name.type.flow.ode');
    assertScope(lines, 'layer', 'keyword.declaration.layer.ode');
    assertScope(lines, 'l1', 'entity.name.function.layer.ode');
    assertScope(lines, 'linear', 'support.type.layer.ode');
    assertScope(lines, '3', 'constant.numeric.integer.ode', { line: 7 });
    assertScope(lines, 'let', 'keyword.declaration.let.ode');
    assertScope(lines, 'h1', 'entity.name.variable.let.ode');
    const line = lines.find((l) => l.text.includes('tanh(l1([z; t]))'));
    assertScope(lines, 'l1', 'entity.name.function.call.ode', { line: line.line });
    assertScope(lines, '[', 'punctuation.section.brackets.begin.concatenation.ode', { line: line.line });
    assertScope(lines, ';', 'keyword.operator.concatenation.ode', { line: line.line });
    assertScope(lines, ';', 'punctuation.terminator.statement.ode', { line: line.line, occurrence: 1 });
    assertScope(lines, 't', 'variable.language.time.ode', { line: line.line });
    assertScope(lines, ']', 'punctuation.section.brackets.end.concatenation.ode', { line: line.line });
    // The comment's d(logp)/dt is comment text, not a derivative.
    const commentLine = lines[1];
    assert.ok(commentLine.tokens.every((t) => t.scopes.some((s) => s.startsWith('comment.'))));
});

test('robertson.ode, vanderpol.ode, damped_pendulum.ode, mlp_time.ode: exponents, const, unary minus, comments', async () => {
    const robertson = await tokensOf(path.join(specDir, 'robertson.ode'));
    assertScope(robertson, '3.0e7', 'constant.numeric.float.ode');
    assertScope(robertson, '1.0e4', 'constant.numeric.float.ode');
    assertScope(robertson, '0.04', 'constant.numeric.float.ode');
    assertScope(robertson, 'y2', 'entity.name.variable.state.ode', { line: 5 });
    assertScope(robertson, '2', 'constant.numeric.integer.ode', { line: 11 });
    const dy1 = robertson.find((l) => l.text.includes('dy1/dt'));
    assert.equal(dy1.tokens.filter((t) => t.scopes.includes('meta.derivative.ode')).map((t) => t.text).join(''), 'dy1/dt');
    assertScope(robertson, '-', 'keyword.operator.arithmetic.ode', { line: dy1.line });

    const vdp = await tokensOf(path.join(specDir, 'vanderpol.ode'));
    assertScope(vdp, 'const', 'keyword.declaration.const.ode');
    assertScope(vdp, 'mu', 'entity.name.variable.constant.ode');
    assertScope(vdp, '1', 'constant.numeric.integer.ode');
    const trailing = tokenFor(vdp, '//', { occurrence: 2 });
    assert.ok(trailing.scopes.includes('comment.line.double-slash.ode'));

    const pendulum = await tokensOf(path.join(specDir, 'damped_pendulum.ode'));
    assertScope(pendulum, 'normal', 'support.function.initializer.ode');
    assertScope(pendulum, 'dot', 'support.function.builtin.ode');
    assertScope(pendulum, 'sin', 'support.function.builtin.ode');
    assertScope(pendulum, 'length', 'entity.name.variable.constant.ode');

    const mlp = await tokensOf(path.join(specDir, 'mlp_time.ode'));
    assertScope(mlp, 'softplus', 'support.function.builtin.ode');
    // `[u; v]` inside a trailing comment stays comment.
    const c = tokenFor(mlp, ' [u; v] concatenates', { whole: false });
    assert.ok(c.scopes.includes('comment.line.double-slash.ode'));
    assertScope(mlp, 'h', 'entity.name.variable.state.ode', { line: 6 });
});

test('language edges: block comments, number forms, malformed numbers, slices, layer members, bad characters', async () => {
    const text = [
        'namespace A.B;',
        '/* a block',
        '   comment */ model M {',
        '    state y[4], w;',
        '    param k = .5; param q = 7.; param r = 2E+3; param s = 3e7;',
        '    let a = y[1:3] + y[:2] + [y; w][0];',
        '    let b = l1.W @ y /* inline */ - 1e;',
        '    let c = 3.0f + σ + x $ 2;',
        '    dy/dt = foo(a) + dw;',
        '    dw/dt = -w;',
        '}',
    ].join('\n');
    const lines = await tokenize(text);
    assertScope(lines, '/*', 'comment.block.ode', { line: 2 });
    assertScope(lines, '   comment ', 'comment.block.ode', { line: 3 });
    assertScope(lines, '*/', 'punctuation.definition.comment.end.ode', { line: 3 });
    assertScope(lines, 'model', 'keyword.declaration.model.ode', { line: 3 });
    assertScope(lines, 'w', 'entity.name.variable.state.ode', { line: 4 });
    assertScope(lines, '.5', 'constant.numeric.float.ode');
    assertScope(lines, '7.', 'constant.numeric.float.ode');
    assertScope(lines, '2E+3', 'constant.numeric.float.ode');
    assertScope(lines, '3e7', 'constant.numeric.float.ode');
    assertScope(lines, ':', 'keyword.operator.slice.ode', { line: 6 });
    assertScope(lines, ':', 'keyword.operator.slice.ode', { line: 6, occurrence: 1 });
    assertScope(lines, '[', 'punctuation.section.brackets.begin.concatenation.ode', { line: 6, occurrence: 2 });
    assertScope(lines, ';', 'keyword.operator.concatenation.ode', { line: 6 });
    assertScope(lines, '[', 'punctuation.section.brackets.begin.ode', { line: 6, occurrence: 3 }); // [..][0]
    assertScope(lines, 'l1', 'variable.other.object.ode');
    assertScope(lines, '.', 'punctuation.accessor.ode', { line: 7 });
    assertScope(lines, 'W', 'variable.other.property.ode');
    assertScope(lines, '/*', 'comment.block.ode', { line: 7 });
    assertScope(lines, '1e', 'invalid.illegal.number.ode');
    assertScope(lines, '3.0f', 'invalid.illegal.number.ode');
    assertScope(lines, 'σ', 'invalid.illegal.identifier.ode');
    assertScope(lines, '$', 'invalid.illegal.character.ode');
    assertScope(lines, 'foo', 'entity.name.function.call.ode');
    assertScope(lines, 'dw', 'variable.other.ode', { line: 9 });
    assertScope(lines, 'd', 'keyword.other.derivative.ode', { line: 10 });
    assertScope(lines, 'w', 'variable.other.state.ode', { line: 10 });

    // A state list missing its ';' stops at the next member's keyword; a stray ')' is invalid.
    const more = await tokenize('model M {\n    state x, y\n    param k = 1;\n    dx/dt = x * 2);\n}');
    assertScope(more, 'y', 'entity.name.variable.state.ode');
    assertScope(more, 'param', 'keyword.declaration.param.ode');
    assertScope(more, 'k', 'entity.name.variable.parameter.ode');
    assertScope(more, ')', 'invalid.illegal.unmatched-bracket.ode');
    assertScope(more, '}', 'punctuation.section.block.end.ode');

    // A name with a non-ASCII letter is one invalid token, as in the lexer, wherever it is declared.
    const names = await tokenize('model M { state xσ; param kσ = 1; let é = 2; }');
    for (const name of ['xσ', 'kσ', 'é']) assertScope(names, name, 'invalid.illegal.identifier.ode');
});

// Drift guards: the grammar knows every keyword of Ode.g4 and every function and initialiser of Builtins.cs.
const g4 = fs.readFileSync(path.join(repoRoot, 'src', 'Language', 'FrontEnd', 'Grammar', 'Ode.g4'), 'utf8');
const builtinsCs = fs.readFileSync(path.join(repoRoot, 'src', 'Language', 'FrontEnd', 'Semantics', 'Builtins.cs'), 'utf8');

test('every keyword token of Ode.g4 is a keyword', async () => {
    const keywords = [...g4.matchAll(/^[A-Z_]+\s*:\s*'([a-z]+)'\s*;/gm)].map((m) => m[1]);
    assert.ok(keywords.length >= 8 && keywords.includes('namespace') && keywords.includes('let'), keywords.join(' '));
    for (const keyword of keywords) {
        const lines = await tokenize(`model M {\n    ${keyword} x = 1;\n}\n${keyword}`);
        assertScope(lines, keyword, 'keyword.declaration.', { line: 2 });
        assertScope(lines, keyword, 'keyword.declaration.', { line: 4 });
    }
});

// Functions being added to Builtins.cs alongside this extension; the grammar knows them already.
const upcomingFunctions = ['sinh', 'cosh', 'asinh', 'atanh', 'atan', 'exp2', 'log1p', 'expm1', 'pow', 'clamp', 'sign',
    'square', 'cube', 'gelu', 'silu', 'erf'];

test('every built-in function of Builtins.cs (and the ones being added) is support.function.builtin when called', async () => {
    const functions = [...builtinsCs.matchAll(/new FunctionInfo\("([a-z0-9_]+)"/g)].map((m) => m[1]);
    assert.ok(functions.length >= 18 && functions.includes('softplus'), functions.join(' '));
    for (const name of new Set([...functions, ...upcomingFunctions])) {
        const lines = await tokenize(`model M { let a = ${name}(x) + ${name} (x, 2); }`);
        assertScope(lines, name, 'support.function.builtin.ode');
        assertScope(lines, name, 'support.function.builtin.ode', { occurrence: 1 });
    }
    // Not a call: a plain name.
    assertScope(await tokenize('model M { let a = expx + exp; }'), 'expx', 'variable.other.ode');
});

test('every initialiser of Builtins.cs is support.function.initializer after ~', async () => {
    const initializers = [...builtinsCs.matchAll(/\("([a-z]+)", InitializerKind\./g)].map((m) => m[1]);
    assert.deepEqual(initializers.sort(), ['constant', 'glorot', 'kaiming', 'normal', 'ones', 'uniform', 'zeros']);
    for (const name of initializers) {
        const lines = await tokenize(`model M { param W[2, 2] ~ ${name}; param V[2] ~${name}(1.0, 2.0); }`);
        assertScope(lines, name, 'support.function.initializer.ode');
        assertScope(lines, name, 'support.function.initializer.ode', { occurrence: 1 });
    }
});

test('package.json contributes the language, grammar and snippets; the configuration and snippets parse', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(extensionRoot, 'package.json'), 'utf8'));
    for (const field of ['name', 'publisher', 'version', 'license', 'engines']) assert.ok(pkg[field], field);
    assert.ok(pkg.engines.vscode);
    const [language] = pkg.contributes.languages;
    assert.deepEqual(language.extensions, ['.ode']);
    const [grammar] = pkg.contributes.grammars;
    assert.equal(grammar.scopeName, 'source.ode');
    assert.equal(grammar.language, language.id);
    for (const p of [language.configuration, grammar.path, pkg.contributes.snippets[0].path]) {
        JSON.parse(fs.readFileSync(path.join(extensionRoot, p), 'utf8'));
    }
    const configuration = JSON.parse(fs.readFileSync(path.join(extensionRoot, language.configuration), 'utf8'));
    assert.equal(configuration.comments.lineComment, '//');
    assert.deepEqual(configuration.comments.blockComment, ['/*', '*/']);
    const snippets = JSON.parse(fs.readFileSync(path.join(extensionRoot, pkg.contributes.snippets[0].path), 'utf8'));
    const prefixes = Object.values(snippets).map((s) => s.prefix);
    for (const p of ['model', 'flow', 'state', 'param', 'const', 'layer', 'let']) assert.ok(prefixes.includes(p), p);
});
