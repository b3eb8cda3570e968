using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;

namespace OdeDsl.Bench;

/// <summary>The torchdiffeq/torchode figures measured on these machines (bench/peers/peers-*.json).</summary>
internal sealed class PeerResults
{
    private readonly List<JsonElement> rows;

    private PeerResults(List<JsonElement> rows) => this.rows = rows;

    /// <summary>Reads one peers JSON file, or every <c>peers-*.json</c> of a directory with the newest first.</summary>
    public static PeerResults Load(string path)
    {
        var files = File.Exists(path) ? new[] { path }
            : Directory.Exists(path) ? Directory.GetFiles(path, "peers-*.json").OrderByDescending(f => f, StringComparer.Ordinal).ToArray()
            : Array.Empty<string>();
        var rows = new List<JsonElement>();
        foreach (string file in files)
            rows.AddRange(JsonDocument.Parse(File.ReadAllText(file)).RootElement.GetProperty("results").EnumerateArray());
        return new PeerResults(rows);
    }

    /// <summary>The peer's row for the same problem, variant, dtype and thread count, if measured.</summary>
    public (double MedianMs, long Nfe)? Find(string library, Measurement m)
    {
        foreach (JsonElement row in rows)
        {
            if (row.GetProperty("library").GetString() == library && row.GetProperty("problem").GetString() == m.Problem
                && row.GetProperty("variant").GetString() == m.Variant && row.GetProperty("dtype").GetString() == m.Dtype
                && row.GetProperty("threads").GetInt32() == m.Threads && row.TryGetProperty("median_ms", out JsonElement ms)
                && ms.ValueKind == JsonValueKind.Number)
                return (ms.GetDouble(), row.TryGetProperty("nfe", out JsonElement nfe) && nfe.ValueKind == JsonValueKind.Number ? nfe.GetInt64() : -1);
        }
        return null;
    }
}
