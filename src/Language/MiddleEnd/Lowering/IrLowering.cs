using System.Collections.Generic;
using System.Linq;
using OdeDsl.Language.Ir;
using OdeDsl.Language.Semantics;

namespace OdeDsl.Language.Lowering;

/// <summary>
/// BoundModel → IR: the model's declarations and its forward kernel. Each statement's expression tree becomes nodes of one graph (no sharing yet: that is the CSE
/// pass's job, so the unoptimised IR shows what was written). Symbols become reads of their declaration, a let's
/// name becomes the let's node, and every node gets its type: the bound shape, batched if it depends on a state or
/// on the time. A layer application <c>l(v)</c> becomes <c>l.W @ v + l.b</c>, the math it stands for.
/// </summary>
/// <remarks>
/// Every bound model lowers: the binder has already checked names and shapes. A <c>flow</c> lowers as the plain
/// model of its states; its log-density dynamics are a later stage's.
/// </remarks>
public sealed class IrLowering
{
    private readonly BoundModel model;
    private readonly IrGraphBuilder graph = new(shareEqualNodes: false);
    private readonly Dictionary<string, IrValue> lets = new(System.StringComparer.Ordinal);
    private readonly Dictionary<string, int> states;
    private readonly Dictionary<string, int> parameters;
    private readonly Dictionary<string, int> constants;

    private IrLowering(BoundModel model)
    {
        this.model = model;
        states = Indexes(model.States.Select(state => state.Name));
        parameters = Indexes(model.Params.Select(parameter => parameter.Name));
        constants = Indexes(model.Consts.Select(constant => constant.Name));
    }

    /// <summary>The model's unoptimised IR.</summary>
    public static IrModel Lower(BoundModel model) => new IrLowering(model).Lower();

    private IrModel Lower()
    {
        var statements = new List<IrStatement>();
        for (int i = 0; i < model.Lets.Count; i++)
        {
            BoundLet let = model.Lets[i];
            IrValue value = Expression(let.Value);
            lets[let.Name] = value;
            statements.Add(new IrStatement(IrRole.Let, IrSymbol.Let(i), value, new IrOrigin(let.Line, let.Source)));
        }
        // Equations in state order, whatever order the file wrote them in.
        List<IrStatement> equations = model.Equations
            .Select(equation => new IrStatement(IrRole.Derivative, IrSymbol.State(states[equation.State]), Expression(equation.Value), new IrOrigin(equation.Line, equation.Source)))
            .OrderBy(equation => equation.Of.Index)
            .ToList();
        statements.AddRange(equations);
        var forward = new IrKernel(
            IrKernelKind.Forward,
            graph.ToNodes(),
            statements.ToEquatableArray(),
            equations.Select(equation => new IrOutput(IrRole.Derivative, equation.Of, equation.Value)).ToEquatableArray(),
            EquatableArray<IrAnnotation>.Empty);

        return new IrModel(
            model.Namespace,
            model.Name,
            model.Kind == Ast.ModelKind.Flow ? IrModelKind.Flow : IrModelKind.Model,
            model.FilePath,
            model.States.Select(state => new IrState(state.Name, Shape(state.Shape), state.Offset, state.Location.Span.Line)).ToEquatableArray(),
            model.Params.Select(parameter => new IrParameter(parameter.Name, Shape(parameter.Shape), Initializer(parameter.Initializer), parameter.Location.Span.Line, parameter.Layer)).ToEquatableArray(),
            model.Layers.Select(layer => new IrLayer(layer.Name, layer.InFeatures, layer.OutFeatures, layer.Location.Span.Line)).ToEquatableArray(),
            model.Consts.Select(constant => new IrConstant(constant.Name, constant.DefaultValue, constant.Location.Span.Line)).ToEquatableArray(),
            model.Lets.Select(let => let.Name).ToEquatableArray(),
            EquatableArray.Create(forward));
    }

    private IrValue Expression(BoundExpression expression)
    {
        switch (expression)
        {
            case BoundNumber number:
                return graph.Add(new IrLiteral(number.Value));
            case BoundSymbol symbol:
                return Symbol(symbol);
            case BoundNegate negate:
            {
                IrValue operand = Expression(negate.Operand);
                return graph.Add(new IrUnary(IrUnaryOperator.Negate, operand, graph[operand].Type));
            }
            case BoundBinary { Operator: Ast.BinaryOperator.MatrixMultiply } product:
            {
                IrValue left = Expression(product.Left), right = Expression(product.Right);
                return graph.Add(new IrMatrixProduct(left, right, Type(product.Shape, left, right)));
            }
            case BoundBinary binary:
            {
                IrValue left = Expression(binary.Left), right = Expression(binary.Right);
                return graph.Add(new IrBinary(Operator(binary.Operator), left, right, Type(binary.Shape, left, right)));
            }
            case BoundCall call:
            {
                IrValue[] arguments = call.Arguments.Select(Expression).ToArray();
                return graph.Add(new IrCall(Function(call.Function), arguments.ToEquatableArray(), Type(call.Shape, arguments)));
            }
            case BoundLayerApplication application:
                return LayerApplication(application);
            case BoundConcatenation concatenation:
            {
                IrValue[] parts = concatenation.Parts.Select(Expression).ToArray();
                return graph.Add(new IrConcatenation(parts.ToEquatableArray(), Type(concatenation.Shape, parts)));
            }
            case BoundIndex index:
            {
                IrValue target = Expression(index.Target);
                return graph.Add(new IrIndex(target, index.Index, Type(index.Shape, target)));
            }
            case BoundSlice slice:
            {
                IrValue target = Expression(slice.Target);
                return graph.Add(new IrSlice(target, slice.Start, slice.End, Type(slice.Shape, target)));
            }
            default:
                throw new System.InvalidOperationException($"No lowering for {expression.GetType().Name}.");
        }
    }

    /// <summary><c>l(v)</c> → <c>l.W @ v + l.b</c>.</summary>
    private IrValue LayerApplication(BoundLayerApplication application)
    {
        LayerSymbol layer = application.Layer;
        IrValue weight = graph.Add(new IrParameterRead(parameters[layer.WeightParam], new IrType(IrShape.Matrix(layer.OutFeatures, layer.InFeatures), Batched: false)));
        IrValue input = Expression(application.Input);
        IrValue product = graph.Add(new IrMatrixProduct(weight, input, Type(application.Shape, weight, input)));
        IrValue bias = graph.Add(new IrParameterRead(parameters[layer.BiasParam], new IrType(IrShape.Vector(layer.OutFeatures), Batched: false)));
        return graph.Add(new IrBinary(IrBinaryOperator.Add, product, bias, Type(application.Shape, product, bias)));
    }

    private IrValue Symbol(BoundSymbol symbol) => symbol.Kind switch
    {
        SymbolKind.State => graph.Add(new IrInput(IrInputKind.State, states[symbol.Name], new IrType(Shape(symbol.Shape), Batched: true))),
        SymbolKind.Param => graph.Add(new IrParameterRead(parameters[symbol.Name], new IrType(Shape(symbol.Shape), Batched: false))),
        SymbolKind.Const => graph.Add(new IrConstantRead(constants[symbol.Name])),
        SymbolKind.Time => graph.Add(IrInput.Time),
        SymbolKind.Let => lets[symbol.Name],
        _ => throw new System.InvalidOperationException($"No lowering for a {symbol.Kind} reference."),
    };

    private IrType Type(Semantics.Shape shape, params IrValue[] operands) =>
        new(Shape(shape), operands.Any(operand => graph[operand].Type.Batched));

    private static IrShape Shape(Semantics.Shape shape) => new(shape.Dimensions);

    private static Dictionary<string, int> Indexes(IEnumerable<string> names)
    {
        var indexes = new Dictionary<string, int>(System.StringComparer.Ordinal);
        foreach (string name in names)
            indexes[name] = indexes.Count;
        return indexes;
    }

    private static IrBinaryOperator Operator(Ast.BinaryOperator op) => op switch
    {
        Ast.BinaryOperator.Add => IrBinaryOperator.Add,
        Ast.BinaryOperator.Subtract => IrBinaryOperator.Subtract,
        Ast.BinaryOperator.Multiply => IrBinaryOperator.Multiply,
        Ast.BinaryOperator.Divide => IrBinaryOperator.Divide,
        Ast.BinaryOperator.Power => IrBinaryOperator.Power,
        _ => throw new System.InvalidOperationException($"No lowering for the operator {op}."),
    };

    private static IrFunction Function(BuiltinFunction function) =>
        IrOperatorFacts.TryParseFunction(function.ToString().ToLowerInvariant(), out IrFunction ir)
            ? ir
            : throw new System.InvalidOperationException($"No lowering for the function {function}.");

    private static IrInitializer Initializer(ParamInitializer initializer) => new(initializer.Kind switch
    {
        InitializerKind.Value => IrInitializerKind.Value,
        InitializerKind.Glorot => IrInitializerKind.Glorot,
        InitializerKind.Kaiming => IrInitializerKind.Kaiming,
        InitializerKind.Zeros => IrInitializerKind.Zeros,
        InitializerKind.Ones => IrInitializerKind.Ones,
        InitializerKind.Normal => IrInitializerKind.Normal,
        InitializerKind.Uniform => IrInitializerKind.Uniform,
        InitializerKind.Constant => IrInitializerKind.Constant,
        InitializerKind.LinearWeight => IrInitializerKind.LinearWeight,
        InitializerKind.LinearBias => IrInitializerKind.LinearBias,
        _ => throw new System.InvalidOperationException($"No lowering for the initialiser {initializer.Kind}."),
    }, initializer.Arguments);
}
