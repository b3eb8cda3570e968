using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Runtime.CompilerServices;

namespace OdeDsl.Language.Tests.Verification;

/// <summary>The acceptance models in spec/models, found from this source file's location.</summary>
public static class SpecModels
{
    public static string Directory { get; } = Find();

    /// <summary>Model file names without extension, for [MemberData].</summary>
    public static IEnumerable<object[]> Names() =>
        System.IO.Directory.GetFiles(Directory, "*.ode").Select(Path.GetFileNameWithoutExtension).OrderBy(n => n, System.StringComparer.Ordinal).Select(n => new object[] { n! });

    public static string PathOf(string name) => Path.Combine(Directory, name + ".ode");

    public static string Read(string name) => File.ReadAllText(PathOf(name));

    private static string Find([CallerFilePath] string here = "")
    {
        for (string? dir = Path.GetDirectoryName(here); dir is not null; dir = Path.GetDirectoryName(dir))
        {
            string candidate = Path.Combine(dir, "spec", "models");
            if (System.IO.Directory.Exists(candidate))
                return candidate;
        }
        throw new DirectoryNotFoundException("spec/models not found above " + here);
    }
}
