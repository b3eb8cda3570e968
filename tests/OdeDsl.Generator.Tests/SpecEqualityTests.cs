using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using OdeDsl.Generator.Models;
using OdeDsl.Language;
using OdeDsl.Language.Emit;
using OdeDsl.Language.Ir;
using Xunit;

namespace OdeDsl.Generator.Tests;

/// <summary>The equality contract of the pipeline's models: value equality, and no Roslyn or ANTLR object anywhere.</summary>
public sealed class SpecEqualityTests
{
    [Fact]
    public void RecompilingGivesEqualModelsWithEqualHashes()
    {
        string text = GeneratorHarness.SpecModel("robertson.ode");
        OdeCompilation first = OdeCompiler.Compile("/m/robertson.ode", text, "N");
        OdeCompilation second = OdeCompiler.Compile("/m/robertson.ode", text.Replace("k1 * y1", "k1*y1   "), "N");

        Assert.Equal(first.Models, second.Models);
        Assert.Equal(first.Models.GetHashCode(), second.Models.GetHashCode());
        Assert.Equal(ModelEmitter.Emit(first.Models[0]), ModelEmitter.Emit(second.Models[0]));
    }

    [Fact]
    public void PipelineModelsHoldNoRoslynOrAntlrTypes()
    {
        var seen = new HashSet<Type>();
        var pending = new Stack<Type>(new[] { typeof(OdeFileInput), typeof(OdeCompilation), typeof(IrModel), typeof(ModelOutput), typeof(GeneratedSource) });
        // Every concrete node kind, since fields are typed with the abstract base.
        foreach (Type node in typeof(IrNode).Assembly.GetTypes().Where(t => typeof(IrNode).IsAssignableFrom(t)))
            pending.Push(node);

        while (pending.Count > 0)
        {
            Type type = pending.Pop();
            if (!seen.Add(type) || type.IsPrimitive || type.IsEnum || type == typeof(string))
                continue;
            string name = type.FullName ?? type.Name;
            Assert.False(name.StartsWith("Microsoft.CodeAnalysis", StringComparison.Ordinal), $"{name} is a Roslyn type");
            Assert.False(name.StartsWith("Antlr4", StringComparison.Ordinal), $"{name} is an ANTLR type");
            Assert.False(type == typeof(object) || type.IsInterface && !type.IsGenericType, $"{name} is not a concrete value type");
            foreach (Type argument in type.GetGenericArguments())
                pending.Push(argument);
            if (type.Namespace?.StartsWith("System", StringComparison.Ordinal) == true)
                continue;
            foreach (FieldInfo field in type.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic))
                pending.Push(field.FieldType);
        }
        Assert.Contains(typeof(IrBinary), seen);
    }
}
