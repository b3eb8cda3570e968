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

    /// <summary>Each [OdeModel] class read into the .ode AST, with the C# front end's diagnostics.</summary>
    public const string ModelClasses = nameof(ModelClasses);

    /// <summary>Each [OdeModel] class compiled to IR plus its diagnostics.</summary>
    public const string ClassCompilations = nameof(ClassCompilations);

    /// <summary>Each [OdeModel] class's IR.</summary>
    public const string ClassModels = nameof(ClassModels);

    /// <summary>Each [OdeModel] class's generated C#.</summary>
    public const string ClassSources = nameof(ClassSources);

    /// <summary>Each [OdeModel] class's diagnostics, reported on their own branch.</summary>
    public const string ClassDiagnostics = nameof(ClassDiagnostics);

    /// <summary>The models that must not generate because an earlier declaration has their name (ODE0116).</summary>
    public const string DuplicateModels = nameof(DuplicateModels);
}
