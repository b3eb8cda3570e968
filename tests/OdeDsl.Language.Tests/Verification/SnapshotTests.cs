using System;
using System.IO;
using Xunit;
using Xunit.Sdk;

namespace OdeDsl.Language.Tests.Verification;

public sealed class SnapshotTests
{
    [Fact]
    public void MatchingTextPasses() => Snapshot.Verify("line one\r\nline two\n");

    [Fact]
    public void MismatchFailsWithDiffAndWritesReceivedFile()
    {
        // A throwaway "test file" in a temp folder, so that this test never touches real baselines.
        string folder = Path.Combine(Path.GetTempPath(), "odedsl-snapshot-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        string testFile = Path.Combine(folder, "FakeTests.cs");
        string verified = Snapshot.BaselinePath(testFile, "Case", null, "verified", "txt");
        string received = Snapshot.BaselinePath(testFile, "Case", null, "received", "txt");
        try
        {
            File.WriteAllText(verified, "alpha\nbeta\ngamma\n");
            if (Environment.GetEnvironmentVariable(Snapshot.AcceptVariable) == "1")
            {
                Snapshot.Verify("alpha\nBETA\ngamma\n", testFile: testFile, method: "Case");
                Assert.Equal("alpha\nBETA\ngamma\n", File.ReadAllText(verified));
                return;
            }
            XunitException error = Assert.ThrowsAny<XunitException>(
                () => Snapshot.Verify("alpha\nBETA\ngamma\n", testFile: testFile, method: "Case"));
            Assert.Contains("- beta", error.Message);
            Assert.Contains("+ BETA", error.Message);
            Assert.True(File.Exists(received));

            Snapshot.Verify("alpha\nbeta\ngamma\n", testFile: testFile, method: "Case");
            Assert.False(File.Exists(received));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
