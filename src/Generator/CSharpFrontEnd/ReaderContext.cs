using System.Collections.Generic;
using System.Threading;
using Microsoft.CodeAnalysis;
using OdeDsl.Language;

namespace OdeDsl.Generator.CSharpFrontEnd;

/// <summary>What the readers of one class share: its file, the semantic model, the names of its members by kind, and the diagnostics so far.</summary>
internal sealed class ReaderContext
{
    public ReaderContext(string filePath, SemanticModel semanticModel, CancellationToken cancellation)
    {
        FilePath = filePath;
        SemanticModel = semanticModel;
        Cancellation = cancellation;
    }

    public string FilePath { get; }

    public SemanticModel SemanticModel { get; }

    public CancellationToken Cancellation { get; }

    public List<OdeDiagnostic> Diagnostics { get; } = new();

    /// <summary>The fields marked <c>[State]</c>: an assignment to <c>d</c> + one of them is its equation.</summary>
    public HashSet<string> States { get; } = new();

    /// <summary>The fields marked <c>[Layer]</c>: <c>l.forward(v)</c> applies one.</summary>
    public HashSet<string> Layers { get; } = new();

    /// <summary>The name of Dynamics' time parameter, which the model's expressions know as <c>t</c>.</summary>
    public string TimeParameter { get; set; } = "t";

    public void Report(OdeDiagnostic diagnostic) => Diagnostics.Add(diagnostic);
}
