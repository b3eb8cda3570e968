using System;
using System.IO;
using System.Runtime.CompilerServices;
using System.Text;
using DiffPlex.DiffBuilder;
using DiffPlex.DiffBuilder.Model;
using Xunit.Sdk;

namespace OdeDsl.Language.Tests.Verification;

/// <summary>
/// Baseline ("snapshot") assertions with Verify's file conventions: the expected text lives in
/// <c>{TestFile}.{Method}[_{parameter}].verified.{ext}</c> beside the test source; a mismatch writes
/// <c>….received.{ext}</c> next to it and fails with a line diff. Set <c>ODEDSL_ACCEPT=1</c> to
/// overwrite the verified files instead.
/// </summary>
public static class Snapshot
{
    /// <summary>The environment variable that turns a test run into "accept every received text".</summary>
    public const string AcceptVariable = "ODEDSL_ACCEPT";

    public static void Verify(
        string actual,
        string extension = "txt",
        string? parameter = null,
        [CallerFilePath] string testFile = "",
        [CallerMemberName] string method = "")
    {
        string verifiedPath = BaselinePath(testFile, method, parameter, "verified", extension);
        string receivedPath = BaselinePath(testFile, method, parameter, "received", extension);
        string normalizedActual = NormalizeLineEndings(actual);

        if (Environment.GetEnvironmentVariable(AcceptVariable) == "1")
        {
            WriteText(verifiedPath, normalizedActual);
            DeleteIfExists(receivedPath);
            return;
        }

        string? expected = File.Exists(verifiedPath) ? NormalizeLineEndings(File.ReadAllText(verifiedPath)) : null;
        if (expected == normalizedActual)
        {
            DeleteIfExists(receivedPath);
            return;
        }

        WriteText(receivedPath, normalizedActual);
        string header = expected is null
            ? $"No baseline yet: {verifiedPath}\nReceived text written to {receivedPath}.\n"
            : $"Text differs from the baseline {verifiedPath}\nReceived text written to {receivedPath}.\n";
        string hint = $"Rerun with {AcceptVariable}=1 to accept it.\n";
        throw new XunitException(header + hint + Diff(expected ?? "", normalizedActual));
    }

    /// <summary>The path of a baseline file for a test method, following Verify's naming.</summary>
    public static string BaselinePath(string testFile, string method, string? parameter, string kind, string extension)
    {
        string directory = Path.GetDirectoryName(testFile) ?? ".";
        string name = Path.GetFileNameWithoutExtension(testFile) + "." + method;
        if (!string.IsNullOrEmpty(parameter))
            name += "_" + parameter;
        return Path.Combine(directory, $"{name}.{kind}.{extension}");
    }

    /// <summary>A unified-style diff: changed lines with '-' (baseline) and '+' (received), one line of context.</summary>
    private static string Diff(string expected, string actual)
    {
        DiffPaneModel model = InlineDiffBuilder.Diff(expected, actual, ignoreWhiteSpace: false, ignoreCase: false);
        var text = new StringBuilder();
        bool skipped = false;
        for (int i = 0; i < model.Lines.Count; i++)
        {
            if (!IsNearChange(model, i))
            {
                skipped = true;
                continue;
            }
            if (skipped)
                text.Append("@@\n");
            skipped = false;
            DiffPiece line = model.Lines[i];
            string prefix = line.Type switch
            {
                ChangeType.Inserted => "+ ",
                ChangeType.Deleted => "- ",
                _ => "  ",
            };
            text.Append(prefix).Append(line.Text).Append('\n');
        }
        return text.ToString();
    }

    private static bool IsNearChange(DiffPaneModel model, int index)
    {
        for (int i = Math.Max(0, index - 1); i <= Math.Min(model.Lines.Count - 1, index + 1); i++)
        {
            if (model.Lines[i].Type is ChangeType.Inserted or ChangeType.Deleted or ChangeType.Modified)
                return true;
        }
        return false;
    }

    private static string NormalizeLineEndings(string text) => text.Replace("\r\n", "\n").Replace('\r', '\n');

    private static void WriteText(string path, string text) =>
        File.WriteAllText(path, text, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));

    private static void DeleteIfExists(string path)
    {
        if (File.Exists(path))
            File.Delete(path);
    }
}
