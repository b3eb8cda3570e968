using System;
using System.Text;

namespace OdeDsl.Language.Emit;

/// <summary>
/// Writes C# source line by line with indentation and block helpers. Lines always end in <c>\n</c>, so the output
/// is identical on every machine; preprocessor directives are written at column 0 as C# requires.
/// </summary>
public sealed class SourceWriter
{
    private const string IndentUnit = "    ";
    private readonly StringBuilder text = new();
    private int depth;

    public SourceWriter(int initialDepth = 0) => depth = initialDepth;

    /// <summary>The current indentation width in characters.</summary>
    public int IndentWidth => depth * IndentUnit.Length;

    public SourceWriter Line(string line)
    {
        if (line.IndexOf('\n') >= 0 || line.IndexOf('\r') >= 0)
            throw new InvalidOperationException("A generated line must not contain a line break.");
        for (int i = 0; i < depth; i++)
            text.Append(IndentUnit);
        text.Append(line).Append('\n');
        return this;
    }

    public SourceWriter BlankLine()
    {
        text.Append('\n');
        return this;
    }

    /// <summary>A preprocessor directive such as <c>#line hidden</c>, unindented.</summary>
    public SourceWriter Directive(string directive)
    {
        text.Append(directive).Append('\n');
        return this;
    }

    /// <summary>Appends text written by another writer at the same depth (already indented, lines ending in \n).</summary>
    public SourceWriter Raw(string lines)
    {
        text.Append(lines);
        return this;
    }

    /// <summary>Writes <paramref name="header"/>, an opening brace, and returns a scope that closes the block.</summary>
    public Block OpenBlock(string header, string closing = "}")
    {
        Line(header);
        Line("{");
        depth++;
        return new Block(this, closing);
    }

    public override string ToString() => text.ToString();

    /// <summary>Closes a block on dispose: dedents and writes the closing brace.</summary>
    public readonly struct Block : IDisposable
    {
        private readonly SourceWriter writer;
        private readonly string closing;

        internal Block(SourceWriter writer, string closing)
        {
            this.writer = writer;
            this.closing = closing;
        }

        public void Dispose()
        {
            writer.depth--;
            writer.Line(closing);
        }
    }
}
