// MSBuild inline task (RoslynCodeTaskFactory) that makes TorchSharp's native library load on systems whose
// libstdc++ predates GCC 13 (Debian 12 ships GLIBCXX_3.4.30).
//
// Why this is safe: libLibTorchSharp.so asks for GLIBCXX_3.4.32 only because GCC 13's <iostream> emits a bare
// reference to the marker symbol _ZSt21ios_base_library_initv; no relocation uses it, so nothing ever calls it.
// Marking that one version requirement VER_FLG_WEAK in .gnu.version_r makes the dynamic loader accept a libstdc++
// without it. The task edits only the copy in a build output folder, never the NuGet cache, and only when the
// system libstdc++ lacks the version. It is idempotent: an already weak entry is left as it is.
using System;
using System.Diagnostics;
using System.IO;
using System.Runtime.InteropServices;
using System.Text;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

public sealed class WeakenGlibcxxVersionNeed : Task
{
    private const uint ShtGnuVerneed = 0x6ffffffe;
    private const ushort VerFlagWeak = 0x2;

    /// <summary>The copy of libLibTorchSharp.so to fix (in a bin/ or publish/ folder).</summary>
    [Required]
    public string Library { get; set; } = "";

    /// <summary>The version requirement to weaken.</summary>
    public string Version { get; set; } = "GLIBCXX_3.4.32";

    public override bool Execute()
    {
        if (!RuntimeInformation.IsOSPlatform(OSPlatform.Linux) || !File.Exists(Library))
            return true;
        try
        {
            string systemLibrary = FindSystemLibstdcxx();
            if (systemLibrary != null && FileContains(systemLibrary, Version + "\0"))
            {
                Log.LogMessage(MessageImportance.Low, "{0} provides {1}; {2} needs no fix.", systemLibrary, Version, Library);
                return true;
            }
            byte[] image = File.ReadAllBytes(Library);
            long flagsOffset = FindVernauxFlagsOffset(image, Version);
            if (flagsOffset < 0)
            {
                Log.LogMessage(MessageImportance.Low, "{0} does not require {1}; nothing to fix.", Library, Version);
                return true;
            }
            ushort flags = BitConverter.ToUInt16(image, (int)flagsOffset);
            if ((flags & VerFlagWeak) != 0)
                return true;

            flags |= VerFlagWeak;
            image[flagsOffset] = (byte)(flags & 0xff);
            image[flagsOffset + 1] = (byte)(flags >> 8);

            // Write a new file and move it over the old one: the output copy may be a hard link into the NuGet
            // cache, which must stay untouched. Keep the timestamp so incremental copies see an unchanged file.
            DateTime lastWrite = File.GetLastWriteTimeUtc(Library);
            string temporary = Library + ".weakening";
            File.WriteAllBytes(temporary, image);
            File.SetLastWriteTimeUtc(temporary, lastWrite);
            File.Delete(Library);
            File.Move(temporary, Library);
            Log.LogMessage(MessageImportance.High,
                "OdeDsl: marked {0} weak in {1} (system libstdc++ {2} lacks it).", Version, Library, systemLibrary ?? "not found");
            return true;
        }
        catch (Exception e)
        {
            Log.LogWarning("OdeDsl: could not apply the libstdc++ compatibility fix to {0}: {1}", Library, e.Message);
            return true;
        }
    }

    /// <summary>Returns the file offset of vna_flags of the Vernaux entry named <paramref name="version"/>, or -1.</summary>
    private static long FindVernauxFlagsOffset(byte[] elf, string version)
    {
        bool isElf64LittleEndian = elf.Length > 64 && elf[0] == 0x7f && elf[1] == (byte)'E' && elf[2] == (byte)'L'
            && elf[3] == (byte)'F' && elf[4] == 2 && elf[5] == 1;
        if (!isElf64LittleEndian)
            throw new InvalidDataException("not a 64-bit little-endian ELF file");

        long sectionTable = (long)BitConverter.ToUInt64(elf, 0x28);
        int sectionSize = BitConverter.ToUInt16(elf, 0x3a);
        int sectionCount = BitConverter.ToUInt16(elf, 0x3c);
        for (int i = 0; i < sectionCount; i++)
        {
            long header = sectionTable + (long)i * sectionSize;
            if (BitConverter.ToUInt32(elf, (int)header + 4) != ShtGnuVerneed)
                continue;
            long verneed = (long)BitConverter.ToUInt64(elf, (int)header + 0x18);
            int stringSection = (int)BitConverter.ToUInt32(elf, (int)header + 0x28);
            int needCount = (int)BitConverter.ToUInt32(elf, (int)header + 0x2c);
            long strings = (long)BitConverter.ToUInt64(elf, (int)(sectionTable + (long)stringSection * sectionSize + 0x18));

            long need = verneed;
            for (int n = 0; n < needCount; n++)
            {
                int auxCount = BitConverter.ToUInt16(elf, (int)need + 2);
                long aux = need + BitConverter.ToUInt32(elf, (int)need + 8);
                for (int a = 0; a < auxCount; a++)
                {
                    long name = strings + BitConverter.ToUInt32(elf, (int)aux + 8);
                    if (ReadCString(elf, name) == version)
                        return aux + 4;
                    aux += BitConverter.ToUInt32(elf, (int)aux + 12);
                }
                need += BitConverter.ToUInt32(elf, (int)need + 12);
            }
        }
        return -1;
    }

    private static string ReadCString(byte[] bytes, long offset)
    {
        long end = offset;
        while (end < bytes.Length && bytes[end] != 0)
            end++;
        return Encoding.ASCII.GetString(bytes, (int)offset, (int)(end - offset));
    }

    private static bool FileContains(string path, string text)
    {
        byte[] haystack = File.ReadAllBytes(path);
        byte[] needle = Encoding.ASCII.GetBytes(text);
        for (int i = 0; i + needle.Length <= haystack.Length; i++)
        {
            int j = 0;
            while (j < needle.Length && haystack[i + j] == needle[j])
                j++;
            if (j == needle.Length)
                return true;
        }
        return false;
    }

    /// <summary>The libstdc++.so.6 the dynamic loader would pick: from ldconfig's cache, else the usual places.</summary>
    private static string FindSystemLibstdcxx()
    {
        foreach (string ldconfig in new[] { "/sbin/ldconfig", "/usr/sbin/ldconfig" })
        {
            if (!File.Exists(ldconfig))
                continue;
            var start = new ProcessStartInfo(ldconfig, "-p") { RedirectStandardOutput = true, UseShellExecute = false };
            using (Process process = Process.Start(start))
            {
                string output = process.StandardOutput.ReadToEnd();
                process.WaitForExit();
                foreach (string line in output.Split('\n'))
                {
                    int arrow = line.IndexOf("=>", StringComparison.Ordinal);
                    bool matches = line.TrimStart().StartsWith("libstdc++.so.6 ", StringComparison.Ordinal)
                        && (Environment.Is64BitOperatingSystem ? line.Contains("64") : true);
                    if (matches && arrow > 0)
                        return line.Substring(arrow + 2).Trim();
                }
            }
        }
        foreach (string candidate in new[] {
            "/usr/lib/x86_64-linux-gnu/libstdc++.so.6", "/lib/x86_64-linux-gnu/libstdc++.so.6",
            "/usr/lib64/libstdc++.so.6", "/usr/lib/libstdc++.so.6", "/usr/lib/aarch64-linux-gnu/libstdc++.so.6" })
        {
            if (File.Exists(candidate))
                return candidate;
        }
        return null;
    }
}
