// Renders docs/images/vscode-ode.png for the README: a spec model tokenised by the extension's TextMate grammar
// with vscode-textmate (the engine VS Code uses) and coloured by VS Code's Dark+ theme rules, through
// vscode-textmate's own theme matching. It is not a screenshot of VS Code (which cannot run on the build machines),
// and says so in the image.
//
//   cd editors/vscode && npm ci && (cd screenshot && npm ci && node render.js [MODEL.ode] [OUT.png])
'use strict';

const fs = require('node:fs');
const path = require('node:path');
const { createRegistry, extensionRoot } = require('../tools/tokenize');
const vsctm = require('vscode-textmate');
const { createCanvas, GlobalFonts } = require('@napi-rs/canvas');

const repoRoot = path.resolve(extensionRoot, '..', '..');
const modelPath = path.resolve(process.argv[2] || path.join(repoRoot, 'spec', 'models', 'damped_pendulum.ode'));
const outPath = path.resolve(process.argv[3] || path.join(repoRoot, 'docs', 'images', 'vscode-ode.png'));

// VS Code's Dark+ (dark_vs.json + dark_plus.json): the rules that apply to the scopes this grammar produces.
const darkPlus = {
    name: 'Dark+ (subset)',
    settings: [
        { settings: { foreground: '#D4D4D4', background: '#1E1E1E' } },
        { scope: 'comment', settings: { foreground: '#6A9955' } },
        { scope: 'constant.numeric', settings: { foreground: '#B5CEA8' } },
        { scope: ['keyword', 'storage', 'storage.type'], settings: { foreground: '#569CD6' } },
        { scope: 'keyword.operator', settings: { foreground: '#D4D4D4' } },
        { scope: 'keyword.control', settings: { foreground: '#C586C0' } },
        { scope: 'invalid', settings: { foreground: '#F44747' } },
        { scope: 'variable.language', settings: { foreground: '#569CD6' } },
        { scope: ['entity.name.function', 'support.function'], settings: { foreground: '#DCDCAA' } },
        {
            scope: ['support.class', 'support.type', 'entity.name.type', 'entity.name.namespace', 'entity.name.class'],
            settings: { foreground: '#4EC9B0' },
        },
        {
            scope: ['variable', 'meta.definition.variable.name', 'support.variable', 'entity.name.variable'],
            settings: { foreground: '#9CDCFE' },
        },
        { scope: ['variable.other.constant', 'variable.other.enummember'], settings: { foreground: '#4FC1FF' } },
    ],
};

// vscode-textmate's encoded token attributes (EncodedTokenAttributes): foreground colour id and font style.
const FOREGROUND_MASK = 0x00ff8000;
const FOREGROUND_OFFSET = 15;
const FONT_STYLE_MASK = 0x00007800;
const FONT_STYLE_OFFSET = 11;

async function main() {
    const registry = createRegistry(darkPlus);
    const grammar = await registry.loadGrammar('source.ode');
    const colors = registry.getColorMap();
    const lines = fs.readFileSync(modelPath, 'utf8').replace(/\t/g, '    ').replace(/\n$/, '').split(/\r?\n/);

    let ruleStack = vsctm.INITIAL;
    const styled = lines.map((line) => {
        const result = grammar.tokenizeLine2(line, ruleStack);
        ruleStack = result.ruleStack;
        const spans = [];
        for (let i = 0; i < result.tokens.length; i += 2) {
            const start = result.tokens[i];
            const end = i + 2 < result.tokens.length ? result.tokens[i + 2] : line.length;
            const metadata = result.tokens[i + 1];
            spans.push({
                text: line.substring(start, end),
                column: start,
                color: colors[(metadata & FOREGROUND_MASK) >>> FOREGROUND_OFFSET],
                fontStyle: (metadata & FONT_STYLE_MASK) >>> FONT_STYLE_OFFSET,
            });
        }
        return spans;
    });

    const fontFile = '/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf';
    const family = fs.existsSync(fontFile) && GlobalFonts.registerFromPath(fontFile, 'CodeFont') ? 'CodeFont' : 'monospace';
    const scale = 2;
    const fontSize = 14;
    const lineHeight = 21;
    const padding = 16;
    const measure = createCanvas(10, 10).getContext('2d');
    measure.font = `${fontSize}px ${family}`;
    const charWidth = measure.measureText('M'.repeat(100)).width / 100;
    const gutter = charWidth * (String(lines.length).length + 3);
    const longest = Math.max(...lines.map((l) => l.length));
    const caption = `${path.relative(repoRoot, modelPath)}, tokenised by editors/vscode/syntaxes/ode.tmLanguage.json `
        + '(vscode-textmate), Dark+ colours. Not a VS Code screenshot.';
    const captionSize = 11;
    const width = Math.ceil(padding * 2 + gutter + charWidth * longest);
    const codeHeight = padding * 2 + lineHeight * lines.length;
    const height = Math.ceil(codeHeight + lineHeight + 6);

    const canvas = createCanvas(width * scale, height * scale);
    const ctx = canvas.getContext('2d');
    ctx.scale(scale, scale);
    ctx.fillStyle = colors[2] || '#1E1E1E'; // the theme's default background
    ctx.fillRect(0, 0, width, height);
    ctx.textBaseline = 'alphabetic';

    styled.forEach((spans, i) => {
        const y = padding + lineHeight * i + Math.round(lineHeight * 0.72);
        ctx.font = `${fontSize}px ${family}`;
        ctx.fillStyle = '#858585';
        ctx.textAlign = 'right';
        ctx.fillText(String(i + 1), padding + gutter - charWidth * 2, y);
        ctx.textAlign = 'left';
        for (const span of spans) {
            if (span.text.trim() === '') continue;
            const italic = span.fontStyle & 1 ? 'italic ' : '';
            const bold = span.fontStyle & 2 ? 'bold ' : '';
            ctx.font = `${italic}${bold}${fontSize}px ${family}`;
            ctx.fillStyle = span.color;
            ctx.fillText(span.text, padding + gutter + charWidth * span.column, y);
        }
    });

    // The caption, in the image itself, on a slightly darker band.
    ctx.fillStyle = '#181818';
    ctx.fillRect(0, codeHeight, width, height - codeHeight);
    ctx.fillStyle = '#9D9D9D';
    ctx.font = `${captionSize}px ${family}`;
    ctx.fillText(caption, padding, codeHeight + (height - codeHeight) / 2 + captionSize * 0.35, width - padding * 2);

    fs.mkdirSync(path.dirname(outPath), { recursive: true });
    fs.writeFileSync(outPath, canvas.toBuffer('image/png'));
    console.log(`wrote ${path.relative(process.cwd(), outPath)} (${width * scale}x${height * scale})`);
}

main().catch((e) => {
    console.error(e);
    process.exit(1);
});
