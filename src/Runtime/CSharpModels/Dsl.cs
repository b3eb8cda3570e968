using TorchSharp;
using static TorchSharp.torch;

namespace OdeDsl;

/// <summary>
/// The functions an <see cref="OdeModelAttribute"/> class's <c>Dynamics</c> may call (with
/// <c>using static OdeDsl.Dsl;</c>): the <c>.ode</c> language's built-ins under the same names (<c>pow</c> is
/// <c>^</c>), plus <c>matmul</c> (<c>@</c>), <c>cat</c> (<c>[a; b]</c>) and <c>slice</c> (<c>v[a:b]</c>). The generator
/// compiles calls to them; at run time they are the slow reference implementation, applied to ONE sample at a time
/// (scalars are 0-dim tensors, vectors 1-dim), which is the language's per-sample meaning. Index a vector with the
/// tensor indexer: <c>y[0]</c>.
/// </summary>
public static class Dsl
{
    /// <summary><c>e^x</c>, elementwise.</summary>
    public static Tensor exp(Tensor x) => x.exp();

    /// <summary>The natural logarithm, elementwise.</summary>
    public static Tensor log(Tensor x) => x.log();

    /// <summary>The square root, elementwise.</summary>
    public static Tensor sqrt(Tensor x) => x.sqrt();

    /// <summary>The absolute value, elementwise.</summary>
    public static Tensor abs(Tensor x) => x.abs();

    /// <summary>The sine, elementwise.</summary>
    public static Tensor sin(Tensor x) => x.sin();

    /// <summary>The cosine, elementwise.</summary>
    public static Tensor cos(Tensor x) => x.cos();

    /// <summary>The tangent, elementwise.</summary>
    public static Tensor tan(Tensor x) => x.tan();

    /// <summary>The hyperbolic tangent, elementwise.</summary>
    public static Tensor tanh(Tensor x) => x.tanh();

    /// <summary>The logistic function, elementwise.</summary>
    public static Tensor sigmoid(Tensor x) => x.sigmoid();

    /// <summary><c>max(x, 0)</c>, elementwise.</summary>
    public static Tensor relu(Tensor x) => x.relu();

    /// <summary><c>log(1 + e^x)</c>, elementwise.</summary>
    public static Tensor softplus(Tensor x) => x.neg().log_sigmoid().neg();   // −log σ(−x): stable, no temporary Scalars

    /// <summary>The exponential linear unit (α = 1), elementwise.</summary>
    public static Tensor elu(Tensor x) => x.elu(One, One, One);

    // Kept alive for the whole process: Tensor.elu(double) makes temporary native Scalars the GC may free mid-call.
    private static readonly Scalar One = 1.0;

    /// <summary>The hyperbolic sine, elementwise.</summary>
    public static Tensor sinh(Tensor x) => x.sinh();

    /// <summary>The hyperbolic cosine, elementwise.</summary>
    public static Tensor cosh(Tensor x) => x.cosh();

    /// <summary>The inverse hyperbolic sine, elementwise.</summary>
    public static Tensor asinh(Tensor x) => x.asinh();

    /// <summary>The inverse hyperbolic tangent, elementwise (defined on (−1, 1)).</summary>
    public static Tensor atanh(Tensor x) => x.atanh();

    /// <summary>The inverse tangent, elementwise.</summary>
    public static Tensor atan(Tensor x) => x.atan();

    /// <summary><c>2^x</c>, elementwise.</summary>
    public static Tensor exp2(Tensor x) => x.exp2();

    /// <summary><c>log(1 + x)</c>, elementwise, exact for small x.</summary>
    public static Tensor log1p(Tensor x) => x.log1p();

    /// <summary><c>e^x − 1</c>, elementwise, exact for small x.</summary>
    public static Tensor expm1(Tensor x) => x.expm1();

    /// <summary>The error function, elementwise.</summary>
    public static Tensor erf(Tensor x) => x.erf();

    /// <summary><c>x·Φ(x)</c> (Φ the standard normal CDF), elementwise and exact (torch's default, not the tanh approximation).</summary>
    public static Tensor gelu(Tensor x) => x.gelu();

    /// <summary><c>x·sigmoid(x)</c>, elementwise.</summary>
    public static Tensor silu(Tensor x) => x.silu();

    /// <summary>−1, 0 or 1, elementwise; its derivative is 0.</summary>
    public static Tensor sign(Tensor x) => x.sign();

    /// <summary><c>x ^ 2</c>, elementwise.</summary>
    public static Tensor square(Tensor x) => x.square();

    /// <summary><c>x ^ 3</c>, elementwise.</summary>
    public static Tensor cube(Tensor x) => x.square().mul(x);

    /// <summary><c>min(max(x, lo), hi)</c>, elementwise (as <c>torch.clamp</c>).</summary>
    public static Tensor clamp(Tensor x, Tensor lo, Tensor hi) => x.clamp(lo, hi);

    /// <summary><c>min(max(x, lo), hi)</c>, elementwise, with fixed bounds (as <c>torch.clamp</c>).</summary>
    public static Tensor clamp(Tensor x, double lo, double hi)
    {
        // Scalars referenced until disposed, after the call: none is finalised during it.
        using Scalar low = lo, high = hi;
        return x.clamp(low, high);
    }

    /// <summary>The sum of a vector's elements.</summary>
    public static Tensor sum(Tensor v) => v.sum();

    /// <summary>The mean of a vector's elements.</summary>
    public static Tensor mean(Tensor v) => v.mean();

    /// <summary>The Euclidean norm of a vector.</summary>
    public static Tensor norm(Tensor v) => v.square().sum().sqrt();

    /// <summary>The dot product of two vectors of one length.</summary>
    public static Tensor dot(Tensor a, Tensor b) => a.mul(b).sum();

    /// <summary>The elementwise minimum (a scalar broadcasts).</summary>
    public static Tensor min(Tensor a, Tensor b) => torch.minimum(a, b);

    /// <summary>The elementwise maximum (a scalar broadcasts).</summary>
    public static Tensor max(Tensor a, Tensor b) => torch.maximum(a, b);

    /// <summary><c>x ^ p</c>, elementwise (the language's <c>^</c>).</summary>
    public static Tensor pow(Tensor x, double p)
    {
        // A Scalar referenced until disposed, after the call: not finalised during it.
        using Scalar exponent = p;
        return x.pow(exponent);
    }

    /// <summary><c>x ^ p</c>, elementwise, with a tensor exponent.</summary>
    public static Tensor pow(Tensor x, Tensor p) => x.pow(p);

    /// <summary>Matrix × vector or matrix × matrix (the language's <c>@</c>).</summary>
    public static Tensor matmul(Tensor a, Tensor b) => a.matmul(b);

    /// <summary>Joins scalars and vectors into one vector (the language's <c>[a; b; …]</c>).</summary>
    public static Tensor cat(params Tensor[] parts)
    {
        var vectors = new Tensor[parts.Length];
        for (int i = 0; i < parts.Length; i++)
            vectors[i] = parts[i].dim() == 0 ? parts[i].unsqueeze(0) : parts[i];
        return torch.cat(vectors, 0);
    }

    /// <summary>The elements <c>start</c> to <c>end − 1</c> of a vector (the language's <c>v[start:end]</c>).</summary>
    public static Tensor slice(Tensor v, long start, long end) => v.narrow(0, start, end - start);
}
