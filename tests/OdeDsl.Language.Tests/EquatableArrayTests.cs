using Xunit;

namespace OdeDsl.Language.Tests;

public class EquatableArrayTests
{
    [Fact]
    public void ArraysWithTheSameItemsAreEqualAndHashAlike()
    {
        var a = EquatableArray.Create("x", "y");
        var b = EquatableArray.Create("x", "y");
        var c = EquatableArray.Create("y", "x");
        Assert.Equal(a, b);
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
        Assert.NotEqual(a, c);
        Assert.Equal(EquatableArray<string>.Empty, default(EquatableArray<string>));
    }
}
