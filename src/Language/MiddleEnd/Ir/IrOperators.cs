namespace OdeDsl.Language.Ir;

/// <summary>Elementwise unary operators.</summary>
public enum IrUnaryOperator
{
    Negate,
}

/// <summary>Elementwise binary operators (scalars broadcast).</summary>
public enum IrBinaryOperator
{
    Add,
    Subtract,
    Multiply,
    Divide,
    Power,
}

/// <summary>The built-in functions of the language: elementwise ones, then the reductions to a scalar.</summary>
public enum IrFunction
{
    Exp,
    Log,
    Sqrt,
    Abs,
    Sin,
    Cos,
    Tan,
    Tanh,
    Sigmoid,
    Relu,
    Softplus,
    Elu,
    Sinh,
    Cosh,
    Asinh,
    /// <summary>Defined on (−1, 1).</summary>
    Atanh,
    Atan,
    /// <summary>2ˣ.</summary>
    Exp2,
    /// <summary>log(1 + x), exact for small x.</summary>
    Log1p,
    /// <summary>eˣ − 1, exact for small x.</summary>
    Expm1,
    /// <summary>The error function.</summary>
    Erf,
    /// <summary>x·Φ(x) with Φ the standard normal CDF, exactly (torch's default, approximate = 'none').</summary>
    Gelu,
    /// <summary>x·σ(x) (also called swish).</summary>
    Silu,
    Min,
    Max,
    /// <summary>The sum of all elements of a sample.</summary>
    Sum,
    /// <summary>The mean of all elements of a sample.</summary>
    Mean,
    /// <summary>The Euclidean (2-)norm of all elements of a sample.</summary>
    Norm,
    /// <summary>The inner product of two vectors of one length.</summary>
    Dot,
    /// <summary>−1, 0 or 1 (0 at zero), with derivative 0: the language's <c>sign</c>, and the derivative of <c>abs</c>.</summary>
    Sign,
}

/// <summary>Facts about operators that the passes and printers share.</summary>
public static class IrOperatorFacts
{
    /// <summary>Exactly commutative in IEEE arithmetic, so <c>a op b</c> and <c>b op a</c> may share one node.</summary>
    public static bool IsCommutative(IrBinaryOperator op) => op is IrBinaryOperator.Add or IrBinaryOperator.Multiply;

    public static bool IsCommutative(IrFunction function) => function is IrFunction.Min or IrFunction.Max or IrFunction.Dot;

    /// <summary>Whether the function reduces its argument(s) to a scalar per sample.</summary>
    public static bool IsReduction(IrFunction function) => function is IrFunction.Sum or IrFunction.Mean or IrFunction.Norm or IrFunction.Dot;

    /// <summary>The operator's spelling in the language (and in the IR printout).</summary>
    public static string Symbol(IrBinaryOperator op) => op switch
    {
        IrBinaryOperator.Add => "+",
        IrBinaryOperator.Subtract => "-",
        IrBinaryOperator.Multiply => "*",
        IrBinaryOperator.Divide => "/",
        IrBinaryOperator.Power => "^",
        _ => throw new System.ArgumentOutOfRangeException(nameof(op)),
    };

    /// <summary>Binding strength as in the language: <c>^</c> over unary minus over <c>* /</c> over <c>+ -</c>.</summary>
    public static int Precedence(IrBinaryOperator op) => op switch
    {
        IrBinaryOperator.Power => 4,
        IrBinaryOperator.Multiply or IrBinaryOperator.Divide => 2,
        _ => 1,
    };

    /// <summary>Unary minus binds between <c>^</c> and <c>*</c>.</summary>
    public const int NegatePrecedence = 3;

    /// <summary><c>@</c> binds like <c>*</c>.</summary>
    public const int MatrixProductPrecedence = 2;

    /// <summary>The function's name in the language (and in the IR printout).</summary>
    public static string Name(IrFunction function) => function.ToString().ToLowerInvariant();

    public static int Arity(IrFunction function) => function is IrFunction.Min or IrFunction.Max or IrFunction.Dot ? 2 : 1;

    /// <summary>Looks a language function name up; false for names that are not built-in functions.</summary>
    public static bool TryParseFunction(string name, out IrFunction function)
    {
        foreach (IrFunction candidate in (IrFunction[])System.Enum.GetValues(typeof(IrFunction)))
        {
            if (Name(candidate) == name)
            {
                function = candidate;
                return true;
            }
        }
        function = default;
        return false;
    }
}

/// <summary>Facts about the comparisons of indicators.</summary>
public static class IrComparisonFacts
{
    public static string Symbol(IrComparisonOperator op) => op switch
    {
        IrComparisonOperator.Greater => ">",
        IrComparisonOperator.GreaterOrEqual => ">=",
        IrComparisonOperator.Less => "<",
        IrComparisonOperator.LessOrEqual => "<=",
        _ => throw new System.ArgumentOutOfRangeException(nameof(op)),
    };
}
