using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using OdeDsl.Language.Semantics;
using OdeDsl.Language.Tests.Verification;
using Xunit;

namespace OdeDsl.Language.Tests.Semantics;

/// <summary>The equality contract of the front end's output (see <see cref="BoundModel"/>).</summary>
public sealed class EqualityTests
{
    [Theory]
    [MemberData(nameof(SpecModels.Names), MemberType = typeof(SpecModels))]
    public void AnalyzingTwiceGivesEqualResults(string model)
    {
        string text = SpecModels.Read(model);
        FrontEndResult first = OdeFrontEnd.Analyze(model + ".ode", text);
        FrontEndResult second = OdeFrontEnd.Analyze(model + ".ode", text);
        Assert.Equal(first, second);
        Assert.Equal(first.GetHashCode(), second.GetHashCode());
        Assert.NotSame(first.Models[0], second.Models[0]);
    }

    [Theory]
    [MemberData(nameof(SpecModels.Names), MemberType = typeof(SpecModels))]
    public void WhitespaceAndCommentEditsInsideALineKeepTheModelEqual(string model)
    {
        string text = SpecModels.Read(model);
        string edited = text.Replace(" = ", "   =   /* edited */ ").Replace("(", "( ");
        BoundModel before = OdeFrontEnd.Analyze(model + ".ode", text).Models.Single();
        BoundModel after = OdeFrontEnd.Analyze(model + ".ode", edited).Models.Single();
        Assert.NotEqual(before.Equations[0].Location.Span, after.Equations[0].Location.Span);
        Assert.Equal(before, after);
        Assert.Equal(before.GetHashCode(), after.GetHashCode());
    }

    [Fact]
    public void MovingAStatementToAnotherLineChangesTheModel()
    {
        string text = SpecModels.Read("lorenz");
        BoundModel before = OdeFrontEnd.Analyze("lorenz.ode", text).Models.Single();
        BoundModel after = OdeFrontEnd.Analyze("lorenz.ode", text.Replace("\n    dx/dt", "\n\n    dx/dt")).Models.Single();
        Assert.NotEqual(before, after);
        Assert.Equal(before.Equations[0].Line + 1, after.Equations[0].Line);
    }

    [Fact]
    public void ChangingAnEquationChangesTheModel()
    {
        string text = SpecModels.Read("lorenz");
        BoundModel before = OdeFrontEnd.Analyze("lorenz.ode", text).Models.Single();
        BoundModel after = OdeFrontEnd.Analyze("lorenz.ode", text.Replace("sigma * (y - x)", "sigma * (x - y)")).Models.Single();
        Assert.NotEqual(before, after);
        Assert.Equal("dx/dt = sigma * (x - y);", after.Equations[0].Source);
    }

    [Theory]
    [MemberData(nameof(SpecModels.Names), MemberType = typeof(SpecModels))]
    public void BoundModelHoldsNoAntlrObject(string model)
    {
        BoundModel bound = OdeFrontEnd.Analyze(model + ".ode", SpecModels.Read(model)).Models.Single();
        foreach (object value in Walk(bound, new HashSet<object>(ReferenceEqualityComparer.Instance)))
        {
            string ns = value.GetType().Namespace ?? "";
            Assert.False(ns.StartsWith("Antlr4", StringComparison.Ordinal) || ns.EndsWith(".Generated", StringComparison.Ordinal), value.GetType().FullName);
        }
    }

    [Fact]
    public void NoAntlrTypeIsPublic()
    {
        Type[] exported = typeof(OdeFrontEnd).Assembly.GetExportedTypes();
        Assert.DoesNotContain(exported, t => t.Namespace?.EndsWith(".Generated", StringComparison.Ordinal) == true);
        foreach (Type type in exported)
        {
            foreach (MemberInfo member in type.GetMembers(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly))
            {
                Type? memberType = member switch
                {
                    PropertyInfo p => p.PropertyType,
                    MethodInfo m => m.ReturnType,
                    FieldInfo f => f.FieldType,
                    _ => null,
                };
                Assert.False(memberType?.Assembly.GetName().Name?.StartsWith("Antlr4", StringComparison.Ordinal) == true, $"{type}.{member.Name}");
            }
        }
    }

    private static IEnumerable<object> Walk(object value, HashSet<object> seen)
    {
        if (value is string || value.GetType().IsPrimitive || value.GetType().IsEnum || !seen.Add(value))
            yield break;
        yield return value;
        IEnumerable<object?> children = value is IEnumerable items
            ? items.Cast<object?>()
            : value.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.GetIndexParameters().Length == 0).Select(p => p.GetValue(value));
        foreach (object? child in children)
        {
            if (child is null)
                continue;
            foreach (object inner in Walk(child, seen))
                yield return inner;
        }
    }
}
