namespace OdeDsl.Generator.Tests;

/// <summary>
/// Models for the adjoint's edge cases: every non-smooth function at its kink, powers with negative bases and a
/// zero base, general powers, and a model mixing its own parameters with a layer (so <c>parameters()</c> order is
/// not declaration order).
/// </summary>
internal static class VjpTestModels
{
    public const string Source = """
        namespace Edges;
        model Broadcasts {
            state v[3], r, M[2, 3];
            param a = 0.3;
            param u[3] ~ normal(0.0, 1.0);
            param N[3, 2] ~ normal(0.0, 1.0);
            param P[2, 2] ~ glorot;
            let Mv = M @ v;
            dv/dt = a * v + r * u + u * a - r + (N @ Mv) + u @ (N @ M);
            dr/dt = a * r + sum(u) * r + dot(u, u) + mean(M) + Mv[1] + M[0][2:3][0] * r + sum(M[1]) * a;
            dM/dt = r * M + a * M - (P @ M) * 0.1 + [u[0:2]; r][2] * M + M @ (N @ M);
        }
        model Kinks {
            state x[4], s;
            param k = 0.5;
            param w[4] ~ uniform(-1.0, 1.0);
            layer l = linear(4, 3);
            param c = 0.25;
            let m = min(x, w) + max(x, s) + min(x, 0.5) + max(0.5, x) + min(s, k);
            dx/dt = abs(x) + relu(x) + m + x^2 + x^3 * k + [l(x); s] - norm(s) * x + clamp(x, -0.5, 0.5) + sign(x) * s + clamp(x, w, 0.5);
            ds/dt = dot(w, x) * s^3 + norm(x) + abs(s) + relu(s) + c * t + max(c, s);
        }
        model Clamps {
            state x[3];
            param w[3] ~ normal(0.0, 1.0);
            const c = 0.25;
            dx/dt = clamp(x, -0.5, 0.5) * w + sign(x) * w + clamp(x, c, 2.0) + gelu(x) + silu(x) + square(x) * w;
        }
        model Powers {
            state p[2], q;
            param e = 1.5;
            const base = 2.0;
            let u = exp(p);
            dp/dt = u^e + base^p + q^p[0] + sqrt(u) + log(u + 1) + p^(-2.0) * 0.01 - p / (q + 3) + 1 / u;
            dq/dt = mean(u)^0.5 - sum(p^base) / e + q^4.0;
        }
        """;

    public static readonly string[] TypeNames = { "Edges.Kinks", "Edges.Powers", "Edges.Broadcasts", "Edges.Clamps" };
}
