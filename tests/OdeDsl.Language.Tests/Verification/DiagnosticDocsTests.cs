using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using Xunit;

namespace OdeDsl.Language.Tests.Verification;

/// <summary>Every ID in the diagnostics catalogue has a help page, listed in docs/diagnostics/README.md.</summary>
public sealed class DiagnosticDocsTests
{
    [Fact]
    public void EveryCatalogueIdHasAHelpPage()
    {
        string root = Path.GetFullPath(Path.Combine(SpecModels.Directory, "..", ".."));
        string catalogue = string.Concat(Directory.GetFiles(Path.Combine(root, "src", "Language", "Diagnostics"), "DiagnosticCatalog*.cs").Select(File.ReadAllText));
        string[] ids = Regex.Matches(catalogue, "(?:Error\\(|new\\()\"(ODE[0-9]{4})\"").Select(m => m.Groups[1].Value).Distinct().ToArray();
        Assert.True(ids.Length >= 30, "found only " + ids.Length + " IDs");
        string docs = Path.Combine(root, "docs", "diagnostics");
        string index = File.ReadAllText(Path.Combine(docs, "README.md"));
        foreach (string id in ids)
        {
            Assert.True(File.Exists(Path.Combine(docs, id + ".md")), "no help page for " + id);
            Assert.Contains($"[{id}]({id}.md)", index);
        }
    }
}
