using System;
using System.Collections.Generic;
using System.Linq;
using OdeDsl.Language.Ir;

namespace OdeDsl.Language.Tests.Ir;

/// <summary>A value of one sample: its elements in row-major order and its per-sample shape.</summary>
internal sealed record Sample(double[] Data, int[] Shape)
{
    public static Sample Scalar(double value) => new(new[] { value }, Array.Empty<int>());

    public bool IsScalar => Shape.Length == 0;
}

/// <summary>
/// Evaluates any kernel for one sample in double arithmetic, straight from the IR's definitions — an independent
/// reading of what each node means, to hold derived kernels to finite differences and to each other. With one
/// sample, a sum over the batch is the sample itself.
/// </summary>
internal sealed class IrInterpreter
{
    private readonly IrModel model;
    private readonly IReadOnlyList<Sample> parameters;

    public IrInterpreter(IrModel model, IReadOnlyList<Sample> parameters)
    {
        this.model = model;
        this.parameters = parameters;
    }

    /// <summary>Every output of <paramref name="kernel"/> at (t, y) with the cotangent or tangent <paramref name="seed"/> (packed like y).</summary>
    public Dictionary<(IrRole, IrSymbol), Sample> Run(IrKernel kernel, double t, double[] y, double[]? seed = null, double traceSeed = 0)
    {
        var values = new Sample[kernel.Nodes.Count];
        for (int i = 0; i < kernel.Nodes.Count; i++)
            values[i] = kernel.Nodes[i] is IrInput { Kind: IrInputKind.TraceCotangent } ? Sample.Scalar(traceSeed) : Evaluate(kernel.Nodes[i], values, t, y, seed);
        return kernel.Outputs.ToDictionary(output => (output.Role, output.Of), output => values[output.Value.Index]);
    }

    private Sample Evaluate(IrNode node, Sample[] values, double t, double[] y, double[]? seed)
    {
        Sample V(IrValue value) => values[value.Index];
        switch (node)
        {
            case IrLiteral literal:
                return Sample.Scalar(literal.Value);
            case IrConstantRead read:
                return Sample.Scalar(model.Constants[read.Constant].DefaultValue);
            case IrParameterRead read:
                return parameters[read.Parameter];
            case IrInput { Kind: IrInputKind.Time }:
                return Sample.Scalar(t);
            case IrInput input:
            {
                IrState state = model.States[input.State];
                double[] packed = input.Kind == IrInputKind.State ? y : seed!;
                return new Sample(packed.Skip(state.Offset).Take(state.Shape.ElementCount).ToArray(), state.Shape.Dimensions.ToArray());
            }
            case IrUnary unary:
                return Map(V(unary.Operand), x => -x);
            case IrBinary binary:
                return Zip(V(binary.Left), V(binary.Right), binary.Operator switch
                {
                    IrBinaryOperator.Add => (a, b) => a + b,
                    IrBinaryOperator.Subtract => (a, b) => a - b,
                    IrBinaryOperator.Multiply => (a, b) => a * b,
                    IrBinaryOperator.Divide => (a, b) => a / b,
                    _ => (Func<double, double, double>)Math.Pow,
                });
            case IrCall call:
                return Call(call, call.Arguments.Select(V).ToArray());
            case IrComparison comparison:
                return Zip(V(comparison.Left), V(comparison.Right), comparison.Operator switch
                {
                    IrComparisonOperator.Greater => (a, b) => a > b ? 1 : 0,
                    IrComparisonOperator.GreaterOrEqual => (a, b) => a >= b ? 1 : 0,
                    IrComparisonOperator.Less => (a, b) => a < b ? 1 : 0,
                    _ => (Func<double, double, double>)((a, b) => a <= b ? 1 : 0),
                });
            case IrWhere where:
            {
                Sample c = V(where.Condition), a = V(where.WhenTrue), b = V(where.WhenFalse);
                int[] shape = new[] { c, a, b }.OrderByDescending(s => s.Shape.Length).First().Shape;
                int n = shape.Aggregate(1, (p, d) => p * d);
                return new Sample(Enumerable.Range(0, n).Select(i => At(c, i) != 0 ? At(a, i) : At(b, i)).ToArray(), shape);
            }
            case IrMatrixProduct product:
                return MatMul(V(product.Left), V(product.Right));
            case IrConcatenation concatenation:
            {
                double[] data = concatenation.Parts.SelectMany(part => V(part).Data).ToArray();
                return new Sample(data, new[] { data.Length });
            }
            case IrIndex index:
            {
                Sample x = V(index.Target);
                int width = x.Data.Length / x.Shape[0];
                return new Sample(x.Data.Skip(index.Index * width).Take(width).ToArray(), x.Shape.Skip(1).ToArray());
            }
            case IrSlice { Axis: 1 } columns:
            {
                // A matrix's columns [Start, End) of each row.
                Sample x = V(columns.Target);
                int rows = x.Shape[0], width = x.Shape[1], kept = columns.End - columns.Start;
                return new Sample(Enumerable.Range(0, rows * kept).Select(i => x.Data[(i / kept) * width + columns.Start + i % kept]).ToArray(), new[] { rows, kept });
            }
            case IrSlice slice:
            {
                Sample x = V(slice.Target);
                int width = x.Data.Length / x.Shape[0];
                int[] shape = x.Shape.ToArray();
                shape[0] = slice.End - slice.Start;
                return new Sample(x.Data.Skip(slice.Start * width).Take((slice.End - slice.Start) * width).ToArray(), shape);
            }
            case IrPad { Axis: 1 } columns:
            {
                Sample x = V(columns.Operand);
                int[] shape = columns.Type.Shape.Dimensions.ToArray();
                var data = new double[shape[0] * shape[1]];
                int kept = x.Shape[1];
                for (int i = 0; i < x.Data.Length; i++)
                    data[(i / kept) * shape[1] + columns.Start + i % kept] = x.Data[i];
                return new Sample(data, shape);
            }
            case IrPad pad:
            {
                Sample x = V(pad.Operand);
                int[] shape = pad.Type.Shape.Dimensions.ToArray();
                var data = new double[shape.Aggregate(1, (p, d) => p * d)];
                int width = data.Length / shape[0];
                Array.Copy(x.Data, 0, data, pad.Start * width, x.Data.Length);
                return new Sample(data, shape);
            }
            case IrBroadcast broadcast:
            {
                Sample x = V(broadcast.Operand);
                int[] shape = broadcast.Type.Shape.Dimensions.ToArray();
                return x.IsScalar ? new Sample(Enumerable.Repeat(x.Data[0], shape.Aggregate(1, (p, d) => p * d)).ToArray(), shape) : x;
            }
            case IrReduceBroadcast reduce:
                // One sample: the batch sum is the sample; a sum to a scalar adds the elements.
                return reduce.Type.Shape.IsScalar ? Sample.Scalar(V(reduce.Operand).Data.Sum()) : V(reduce.Operand);
            case IrTranspose transpose:
            {
                Sample x = V(transpose.Operand);
                int rows = x.Shape[0], columns = x.Shape[1];
                return new Sample(Enumerable.Range(0, rows * columns).Select(i => x.Data[(i % rows) * columns + i / rows]).ToArray(), new[] { columns, rows });
            }
            case IrOuterProduct outer:
            {
                Sample u = V(outer.Left), v = V(outer.Right);
                return new Sample(u.Data.SelectMany(a => v.Data.Select(b => a * b)).ToArray(), new[] { u.Data.Length, v.Data.Length });
            }
            default:
                throw new InvalidOperationException($"The interpreter has no meaning for {node.GetType().Name}.");
        }
    }

    private static Sample Call(IrCall call, Sample[] a)
    {
        switch (call.Function)
        {
            case IrFunction.Sum:
                return Sample.Scalar(a[0].Data.Sum());
            case IrFunction.Mean:
                return Sample.Scalar(a[0].Data.Average());
            case IrFunction.Norm:
                return Sample.Scalar(Math.Sqrt(a[0].Data.Sum(x => x * x)));
            case IrFunction.Dot:
                // The IR's dot is the inner product of two vectors, nothing else: a pass that writes it for matrices is wrong.
                if (a[0].Shape.Length != 1 || a[1].Shape.Length != 1)
                    throw new InvalidOperationException("dot of non-vectors.");
                return Sample.Scalar(a[0].Data.Zip(a[1].Data, (x, y) => x * y).Sum());
            case IrFunction.Min:
                return Zip(a[0], a[1], Math.Min);
            case IrFunction.Max:
                return Zip(a[0], a[1], Math.Max);
        }
        Func<double, double> f = call.Function switch
        {
            IrFunction.Exp => Math.Exp,
            IrFunction.Log => Math.Log,
            IrFunction.Sqrt => Math.Sqrt,
            IrFunction.Abs => Math.Abs,
            IrFunction.Sin => Math.Sin,
            IrFunction.Cos => Math.Cos,
            IrFunction.Tan => Math.Tan,
            IrFunction.Tanh => Math.Tanh,
            IrFunction.Sigmoid => x => 1 / (1 + Math.Exp(-x)),
            IrFunction.Relu => x => Math.Max(0, x),
            IrFunction.Softplus => x => Math.Max(x, 0) + Math.Log(1 + Math.Exp(-Math.Abs(x))),
            IrFunction.Elu => x => x > 0 ? x : Math.Exp(x) - 1,
            IrFunction.Sign => x => Math.Sign(x),
            IrFunction.Sinh => Math.Sinh,
            IrFunction.Cosh => Math.Cosh,
            IrFunction.Asinh => Math.Asinh,
            IrFunction.Atanh => Math.Atanh,
            IrFunction.Atan => Math.Atan,
            IrFunction.Exp2 => x => Math.Pow(2, x),
            IrFunction.Log1p => Log1p,
            IrFunction.Expm1 => x => Math.Abs(x) < 1e-5 ? x + x * x / 2 + x * x * x / 6 : Math.Exp(x) - 1,
            IrFunction.Erf => Erf,
            IrFunction.Gelu => x => x * 0.5 * (1 + Erf(x / Math.Sqrt(2))),
            IrFunction.Silu => x => x / (1 + Math.Exp(-x)),
            _ => throw new InvalidOperationException($"No meaning for {call.Function}."),
        };
        return Map(a[0], f);
    }

    /// <summary>log(1 + x) to full precision near 0 (Goldberg's correction of the rounded 1 + x).</summary>
    private static double Log1p(double x)
    {
        double u = 1 + x;
        return u == 1 ? x : Math.Log(u) * x / (u - 1);
    }

    /// <summary>
    /// The error function from its series of positive terms, erf(x) = (2/√π)·e^(−x²)·Σ (2x²)ⁿ·x / (1·3·…·(2n + 1)):
    /// no cancellation, so accurate to a few ulps; ±1 beyond |x| = 6, where erf is 1 in double precision.
    /// </summary>
    internal static double Erf(double x)
    {
        if (Math.Abs(x) >= 6)
            return Math.Sign(x);
        double term = x, sum = x, twoX2 = 2 * x * x;
        for (int n = 1; n < 500 && Math.Abs(term) > 1e-17 * Math.Abs(sum); n++)
        {
            term *= twoX2 / (2 * n + 1);
            sum += term;
        }
        return 2 / Math.Sqrt(Math.PI) * Math.Exp(-x * x) * sum;
    }

    private static Sample MatMul(Sample l, Sample r)
    {
        // Ranks 1 and 2 as numpy: a vector on the left is a row, on the right a column.
        int m = l.Shape.Length == 2 ? l.Shape[0] : 1, n = l.Shape[^1];
        int p = r.Shape.Length == 2 ? r.Shape[1] : 1;
        var data = new double[m * p];
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < p; j++)
            {
                double sum = 0;
                for (int k = 0; k < n; k++)
                    sum += l.Data[i * n + k] * r.Data[k * p + j];
                data[i * p + j] = sum;
            }
        }
        int[] shape = (l.Shape.Length, r.Shape.Length) switch
        {
            (2, 2) => new[] { m, p },
            (2, 1) => new[] { m },
            (1, 2) => new[] { p },
            _ => Array.Empty<int>(),
        };
        return new Sample(data, shape);
    }

    private static Sample Map(Sample x, Func<double, double> f) => new(x.Data.Select(f).ToArray(), x.Shape);

    /// <summary>Elementwise with scalars broadcast.</summary>
    private static Sample Zip(Sample a, Sample b, Func<double, double, double> f)
    {
        int[] shape = a.IsScalar ? b.Shape : a.Shape;
        int n = Math.Max(a.Data.Length, b.Data.Length);
        return new Sample(Enumerable.Range(0, n).Select(i => f(At(a, i), At(b, i))).ToArray(), shape);
    }

    private static double At(Sample x, int i) => x.IsScalar ? x.Data[0] : x.Data[i];
}
