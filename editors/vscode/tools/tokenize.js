// Loads syntaxes/ode.tmLanguage.json with vscode-textmate and the Oniguruma WebAssembly from
// vscode-oniguruma (the same engine VS Code uses), and tokenises text line by line.
'use strict';

const fs = require('node:fs');
const path = require('node:path');
const vsctm = require('vscode-textmate');
const oniguruma = require('vscode-oniguruma');

const extensionRoot = path.resolve(__dirname, '..');
const grammarPath = path.join(extensionRoot, 'syntaxes', 'ode.tmLanguage.json');

let onigLibPromise;

function onigLib() {
    if (!onigLibPromise) {
        const wasm = fs.readFileSync(path.join(path.dirname(require.resolve('vscode-oniguruma')), 'onig.wasm'));
        onigLibPromise = oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength)).then(() => ({
            createOnigScanner: (patterns) => new oniguruma.OnigScanner(patterns),
            createOnigString: (text) => new oniguruma.OnigString(text),
        }));
    }
    return onigLibPromise;
}

/** A vscode-textmate registry that knows the .ode grammar; `theme` (a raw TextMate theme) is optional. */
function createRegistry(theme) {
    const registry = new vsctm.Registry({
        onigLib: onigLib(),
        loadGrammar: async (scopeName) => {
            if (scopeName !== 'source.ode') return null;
            return vsctm.parseRawGrammar(fs.readFileSync(grammarPath, 'utf8'), grammarPath);
        },
    });
    if (theme) registry.setTheme(theme);
    return registry;
}

let grammarPromise;

/** The .ode grammar, loaded once. */
function loadGrammar() {
    if (!grammarPromise) grammarPromise = createRegistry().loadGrammar('source.ode');
    return grammarPromise;
}

/**
 * Tokenises a whole text. Returns one entry per line: { line, tokens: [{ text, start, end, scopes }] }
 * (line is 1-based; scopes run from the outermost, source.ode, to the innermost).
 */
async function tokenize(text) {
    const grammar = await loadGrammar();
    let ruleStack = vsctm.INITIAL;
    const lines = text.split(/\r?\n/);
    return lines.map((line, i) => {
        const result = grammar.tokenizeLine(line, ruleStack);
        ruleStack = result.ruleStack;
        return {
            line: i + 1,
            text: line,
            tokens: result.tokens.map((t) => ({
                text: line.substring(t.startIndex, t.endIndex),
                start: t.startIndex,
                end: t.endIndex,
                scopes: t.scopes,
            })),
        };
    });
}

module.exports = { createRegistry, loadGrammar, tokenize, extensionRoot, grammarPath };

// `node tools/tokenize.js FILE.ode` prints every token with its innermost scope.
if (require.main === module) {
    const file = process.argv[2];
    tokenize(fs.readFileSync(file, 'utf8')).then((lines) => {
        for (const { line, tokens } of lines) {
            for (const t of tokens) {
                if (t.text.trim() === '') continue;
                console.log(`${line}:${t.start}\t${JSON.stringify(t.text)}\t${t.scopes.slice(1).join(' ')}`);
            }
        }
    });
}
