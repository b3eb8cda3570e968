using TorchSharp;
using static TorchSharp.torch;

namespace OdeDsl.Generator.Tests;

/// <summary>
/// Models that use every tensor construct of the language between them: vector and matrix states next to scalar
/// ones, every function and reduction, '@' for every pairing of ranks and batching, concatenation with the time,
/// params and numbers, indexing and slicing, unbatched and constant equations, every initialiser.
/// </summary>
internal static class TensorModels
{
    public const string Source = """
        namespace Tensors;

        model Functions {
            state x, v[3];
            param k = 0.5;
            param w[3] ~ uniform(-1.0, 1.0);
            const c = 2.0;

            let e = [exp(v[0]); log(abs(v[1]) + 1); sqrt(abs(v[2]))];
            let u = sin(v) + cos(v) * tan(v / 4) + tanh(v) - sigmoid(v) + relu(v) * softplus(v) - elu(v);
            let cw = [k; w; c];
            let r = sum(v) + mean(u) * norm(e) + dot(w, v) + dot(v, u) + dot(w, w) + sum(cw) + dot([x; 1.0; v], [x; k; w]);
            dx/dt = min(x, r) - max(k, x) + c * t;
            dv/dt = x * e + k * u - w / c + t * v + min(v, w) + max(x, v);
        }

        model Matrices {
            state A[3, 3], z[3], s;
            param M[3, 2] ~ kaiming;
            param N[3, 3] ~ normal(0.0, 0.5);
            param b[2] ~ constant(0.25);
            param q[3] ~ ones;

            let P = A @ M;
            let Q = N @ P;
            let Az = A @ z;
            let zA = z @ A;
            let zM = z @ M;
            let m = M @ b;
            let Pb = P @ b;
            let qM = q @ M;
            let qA = q @ A;
            dA/dt = N @ A - s * A + mean(Q) * A;
            dz/dt = [Az[0]; zA[1]; Pb[2]] + (N @ z) * norm(A) + m + qA - [z[1:3]; z[0]] + [zM; t];
            ds/dt = dot(z, q) + dot(z, Az) + norm(s) + sum(m) + sum(A[1]) + mean(qM) + m[0];
        }

        model Drift {
            state p[2], x;
            param d[2] ~ uniform(-0.5, 0.5);
            param k ~ normal(1.0, 0.1);
            param G[2, 2] ~ glorot;
            dp/dt = d * k + G @ d;
            dx/dt = 3.0;
        }

        model Elementwise {
            state x, v[3];
            param k = 0.5;
            param w[3] ~ uniform(-1.0, 1.0);
            const c = 0.4;

            let a = 0.5 * tanh(v);
            let s = sinh(v) + cosh(v) * asinh(2 * v) - atanh(a) + atan(v * x) + exp2(v) - log1p(v * v) + expm1(0.5 * v) + erf(v - x);
            let g = gelu(v) * silu(w) + silu(v) - gelu(k * v) + sign(v) * x + square(v) - cube(v) * k + pow(1 + v * v, x) + pow(v, 2);
            let h = clamp(v, -0.5, c) + clamp(v, w, 1.0) + clamp(x, k, 2 * k) * w + clamp(x, -1.0, 1.0);
            let hosts = sinh(c) + cosh(c) + asinh(c) + atanh(c) + atan(c) + exp2(c) + log1p(c) + expm1(c) + erf(c) + gelu(c)
                        + silu(c) + sign(c) + square(c) + cube(c) + pow(c, 1.5) + clamp(c, 0.0, 0.25) + gelu(-c) + silu(-c);
            dx/dt = sum(s) + mean(g) + hosts * x + pow(c, k) + gelu(k) * erf(sum(w));
            dv/dt = s * g + h + erf(w) * gelu(k) * v + cube(w) - asinh(w) * atan(k);
        }
        """;

    public static readonly string[] TypeNames = { "Tensors.Functions", "Tensors.Matrices", "Tensors.Drift", "Tensors.Elementwise" };

    /// <summary>Each model written by hand with plain tensor ops; <c>p</c> reads a parameter of the generated model.</summary>
    public static Tensor Functions(System.Func<string, Tensor> p, Tensor t, Tensor y)
    {
        const double c = 2.0;
        Tensor k = p("k"), w = p("w");
        Tensor x = y[.., 0], v = y[.., 1..4], time = t.expand(y.size(0));
        Tensor e = stack(new[] { v[.., 0].exp(), (v[.., 1].abs() + 1).log(), v[.., 2].abs().sqrt() }, 1);
        Tensor u = v.sin() + v.cos() * (v / 4).tan() + v.tanh() - v.sigmoid() + v.relu() * v.softplus() - v.elu();
        Tensor cw = cat(new[] { k.reshape(1), w, tensor(new[] { c }, dtype: float64) });
        Tensor batchOnes = ones_like(x);
        Tensor left = stack(new[] { x, batchOnes, v[.., 0], v[.., 1], v[.., 2] }, 1);
        Tensor right = stack(new[] { x, k * batchOnes, w[0] * batchOnes, w[1] * batchOnes, w[2] * batchOnes }, 1);
        Tensor r = v.sum(1) + u.mean(new long[] { 1 }) * e.pow(2).sum(1).sqrt() + (v * w).sum(1) + (v * u).sum(1) + (w * w).sum() + cw.sum() + (left * right).sum(1);
        Tensor dx = minimum(x, r) - maximum(k, x) + c * time;
        Tensor xc = x.unsqueeze(1);
        Tensor dv = xc * e + k * u - w / c + time.unsqueeze(1) * v + minimum(v, w) + maximum(xc, v);
        return cat(new[] { dx.unsqueeze(1), dv }, 1);
    }

    public static Tensor Matrices(System.Func<string, Tensor> p, Tensor t, Tensor y)
    {
        Tensor m = p("M"), n = p("N"), b = p("b"), q = p("q");
        long batch = y.size(0);
        Tensor a = y[.., 0..9].reshape(batch, 3, 3), z = y[.., 9..12], s = y[.., 12], time = t.expand(batch);
        Tensor pm = einsum("bij,jk->bik", a, m);
        Tensor qm = einsum("ij,bjk->bik", n, pm);
        Tensor az = einsum("bij,bj->bi", a, z);
        Tensor za = einsum("bi,bij->bj", z, a);
        Tensor zm = einsum("bi,ij->bj", z, m);
        Tensor mb = einsum("ij,j->i", m, b);
        Tensor pb = einsum("bij,j->bi", pm, b);
        Tensor qmv = einsum("i,ij->j", q, m);
        Tensor qa = einsum("i,bij->bj", q, a);
        Tensor dA = einsum("ij,bjk->bik", n, a) - s.reshape(batch, 1, 1) * a + qm.mean(new long[] { 1, 2 }).reshape(batch, 1, 1) * a;
        Tensor picked = stack(new[] { az[.., 0], za[.., 1], pb[.., 2] }, 1);
        Tensor nz = einsum("ij,bj->bi", n, z);
        Tensor normA = a.pow(2).sum(new long[] { 1, 2 }).sqrt().unsqueeze(1);
        Tensor rotated = cat(new[] { z[.., 1..3], z[.., 0..1] }, 1);
        Tensor dz = picked + nz * normA + mb + qa - rotated + cat(new[] { zm, time.unsqueeze(1) }, 1);
        Tensor ds = (z * q).sum(1) + (z * az).sum(1) + s.abs() + mb.sum() + a[.., 1, ..].sum(1) + qmv.mean() + mb[0];
        return cat(new[] { dA.reshape(batch, 9), dz, ds.unsqueeze(1) }, 1);
    }

    public static Tensor Drift(System.Func<string, Tensor> p, Tensor t, Tensor y)
    {
        Tensor d = p("d"), k = p("k"), g = p("G");
        long batch = y.size(0);
        Tensor dp = (d * k + einsum("ij,j->i", g, d)).expand(batch, 2);
        return cat(new[] { dp, full(batch, 1, 3.0, dtype: float64) }, 1);
    }

    /// <summary>
    /// The elementwise functions through torch's own: <c>gelu</c> is <c>functional.gelu</c> (exact), <c>clamp</c> is
    /// <c>torch.clamp</c>, the host values are System.Math's or torch's on a float64 scalar.
    /// </summary>
    public static Tensor Elementwise(System.Func<string, Tensor> p, Tensor t, Tensor y)
    {
        const double c = 0.4;
        Tensor k = p("k"), w = p("w");
        Tensor x = y[.., 0], v = y[.., 1..4];
        Tensor xc = x.unsqueeze(1);
        Tensor a = 0.5 * v.tanh();
        Tensor s = v.sinh() + v.cosh() * (2 * v).asinh() - a.atanh() + (v * xc).atan() + v.exp2() - (v * v).log1p() + (0.5 * v).expm1() + (v - xc).erf();
        Tensor g = torch.nn.functional.gelu(v) * torch.nn.functional.silu(w) + torch.nn.functional.silu(v) - torch.nn.functional.gelu(k * v)
            + v.sign() * xc + v.square() - v.pow(3) * k + (1 + v * v).pow(xc) + v.pow(2);
        Tensor h = torch.clamp(v, tensor(-0.5, dtype: float64), tensor(c, dtype: float64)) + torch.clamp(v, w.expand_as(v), ones_like(v))
            + torch.clamp(x, k.expand_as(x), (2 * k).expand_as(x)).unsqueeze(1) * w + torch.clamp(x, -ones_like(x), ones_like(x)).unsqueeze(1);
        static double Torch(double value, System.Func<Tensor, Tensor> f) => f(tensor(value, dtype: float64)).item<double>();
        double hosts = System.Math.Sinh(c) + System.Math.Cosh(c) + System.Math.Asinh(c) + System.Math.Atanh(c) + System.Math.Atan(c) + System.Math.Pow(2, c)
            + Torch(c, q => q.log1p()) + Torch(c, q => q.expm1()) + Torch(c, q => q.erf()) + Torch(c, q => torch.nn.functional.gelu(q))
            + c / (1 + System.Math.Exp(-c)) + 1.0 + c * c + c * c * c + System.Math.Pow(c, 1.5) + 0.25 + Torch(-c, q => torch.nn.functional.gelu(q))
            + -c / (1 + System.Math.Exp(c));
        Tensor dx = s.sum(1) + g.mean(new long[] { 1 }) + hosts * x + tensor(c, dtype: float64).pow(k) + torch.nn.functional.gelu(k) * w.sum().erf();
        Tensor dv = s * g + h + w.erf() * torch.nn.functional.gelu(k) * v + w.pow(3) - w.asinh() * k.atan();
        return cat(new[] { dx.unsqueeze(1), dv }, 1);
    }
}
