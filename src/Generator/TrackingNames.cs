namespace OdeDsl.Generator;

/// <summary>The names of the pipeline's steps, for <c>WithTrackingName</c> and the caching tests that inspect them.</summary>
public static class TrackingNames
{
    /// <summary>The project's root namespace, from <c>build_property.RootNamespace</c>.</summary>
    public const string RootNamespace = nameof(RootNamespace);

    /// <summary>Each .ode additional file as (path, text, default namespace).</summary>
    public const string OdeFiles = nameof(OdeFiles);

    /// <summary>Each file compiled to IR plus its diagnostics.</summary>
    public const string Compilations = nameof(Compilations);

    /// <summary>Each model's IR, one item per model: the spec the source output depends on.</summary>
    public const string Models = nameof(Models);

    /// <summary>Each model's generated C#: the class file and the Vjp file.</summary>
    public const string Sources = nameof(Sources);

    /// <summary>Each file's diagnostics, reported on their own branch.</summary>
    public const string Diagnostics = nameof(Diagnostics);
}
