using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Runtime.CompilerServices;
using OdeDsl.Language.Ast;

namespace OdeDsl.Language.Semantics;

/// <summary>
/// Resolves the names in an expression and infers every node's shape. Returns null for an
/// expression with an error (already reported); its parents then stay silent, so one mistake gives
/// one diagnostic.
/// </summary>
internal sealed class ExpressionBinder
{
    private readonly Scope scope;
    private readonly DiagnosticBag diagnostics;

    public ExpressionBinder(Scope scope, DiagnosticBag diagnostics)
    {
        this.scope = scope;
        this.diagnostics = diagnostics;
    }

    private string FilePath => diagnostics.FilePath;

    public BoundExpression? Bind(Expression expression)
    {
        RuntimeHelpers.EnsureSufficientExecutionStack();
        var at = new LocationHint(expression.Span);
        switch (expression)
        {
            case NumberLiteral n:
                return new BoundNumber(n.Value, at);
            case NameReference name:
                return BindName(name);
            case NegateExpression neg:
                return Bind(neg.Operand) is { } operand ? new BoundNegate(operand, at) : null;
            case BinaryExpression binary:
                return BindBinary(binary);
            case CallExpression call:
                return BindCall(call);
            case ConcatenationExpression concat:
                return BindConcatenation(concat);
            case IndexExpression index:
                return BindIndex(index);
            case SliceExpression slice:
                return BindSlice(slice);
            default:
                return null;
        }
    }

    private BoundExpression? BindName(NameReference reference)
    {
        var at = new LocationHint(reference.Span);
        DeclaredName? declared = scope.Lookup(reference.Name);
        if (declared is null)
        {
            ReportUnknownName(reference);
            return null;
        }
        switch (declared.Kind)
        {
            case SymbolKind.Layer:
                diagnostics.Add(DiagnosticCatalog.CallableUsedAsValue(FilePath, reference.Span, reference.Name, "layer",
                    $", or use its parameters '{reference.Name}.W' and '{reference.Name}.b'"));
                return null;
            case SymbolKind.Let:
                // A let in a cycle or with errors has no shape; that was reported at the let.
                return scope.LetShape(declared.Name) is Shape letShape ? new BoundSymbol(declared.Name, SymbolKind.Let, letShape, at) : null;
            default:
                return new BoundSymbol(declared.Name, declared.Kind, declared.Shape, at);
        }
    }

    private void ReportUnknownName(NameReference reference)
    {
        string name = reference.Name;
        int dot = name.IndexOf('.');
        if (scope.Rejected.Contains(name) || (dot > 0 && scope.Rejected.Contains(name.Substring(0, dot))))
            return;
        if (Builtins.Function(name) is not null)
        {
            diagnostics.Add(DiagnosticCatalog.CallableUsedAsValue(FilePath, reference.Span, name, "function", ""));
            return;
        }
        if (dot > 0 && scope.Lookup(name.Substring(0, dot)) is { } owner)
        {
            diagnostics.Add(DiagnosticCatalog.UnknownMember(FilePath, reference.Span, owner.Name, name.Substring(dot + 1), owner.KindWord));
            return;
        }
        diagnostics.Add(DiagnosticCatalog.UnknownName(FilePath, reference.Span, name, NameSuggester.Suggest(name, scope.ValueNames)));
    }

    private BoundExpression? BindBinary(BinaryExpression binary)
    {
        BoundExpression? left = Bind(binary.Left);
        BoundExpression? right = Bind(binary.Right);
        if (left is null || right is null)
            return null;
        var at = new LocationHint(binary.Span);
        if (binary.Operator == BinaryOperator.MatrixMultiply)
        {
            Shape? product = ShapeRules.MatrixProduct(left.Shape, right.Shape);
            if (product is null)
            {
                ReportMismatch(binary, "'" + SourceFormatter.Format(binary) + "'", binary.Left, left, binary.Right, right,
                    left.Shape.IsScalar || right.Shape.IsScalar
                        ? "'@' needs vectors or matrices on both sides (use '*' to scale by a scalar)"
                        : "'@' multiplies (m, n) by (n) or (n, p), or (n) by (n, p): the inner dimensions must agree");
                return null;
            }
            return new BoundBinary(binary.Operator, left, right, product.Value, at);
        }
        Shape? shape = ShapeRules.Broadcast(left.Shape, right.Shape);
        if (shape is null)
        {
            ReportMismatch(binary, "'" + SourceFormatter.Format(binary) + "'", binary.Left, left, binary.Right, right,
                $"'{SourceFormatter.Symbol(binary.Operator)}' works elementwise, so both sides need the same shape, or one side must be a scalar");
            return null;
        }
        return new BoundBinary(binary.Operator, left, right, shape.Value, at);
    }

    private BoundExpression? BindCall(CallExpression call)
    {
        string name = call.Callee.Name;
        var at = new LocationHint(call.Span);
        List<BoundExpression?> arguments = call.Arguments.Select(Bind).ToList();

        DeclaredName? declared = scope.Lookup(name);
        if (declared?.Kind == SymbolKind.Layer)
            return BindLayerApplication(call, declared.Layer!, arguments);
        if (Builtins.Function(name) is not { } function)
        {
            if (scope.Rejected.Contains(name))
                return null;
            if (declared is not null)
                diagnostics.Add(DiagnosticCatalog.NotCallable(FilePath, call.Callee.Span, name, declared.KindWord));
            else
                diagnostics.Add(DiagnosticCatalog.UnknownFunction(FilePath, call.Callee.Span, name,
                    NameSuggester.Suggest(name, Builtins.FunctionNames.Concat(scope.LayerNames)), Builtins.FunctionNames));
            return null;
        }
        if (arguments.Count != function.Arity)
        {
            string usage = function.Arity switch { 1 => $"'{name}(x)'", 2 => $"'{name}(a, b)'", _ => $"'{name}(x, lo, hi)'" };
            diagnostics.Add(DiagnosticCatalog.WrongArgumentCount(FilePath, call.Span, name, Arguments(function.Arity), arguments.Count, usage));
            return null;
        }
        if (arguments.Any(a => a is null))
            return null;
        BoundExpression[] args = arguments.Select(a => a!).ToArray();
        Shape? shape = function.Rule switch
        {
            FunctionShapeRule.Elementwise => args[0].Shape,
            FunctionShapeRule.Reduction => Shape.Scalar,
            FunctionShapeRule.Dot => CheckDot(call, args),
            FunctionShapeRule.ElementwiseTernary => CheckElementwiseTriple(call, args),
            _ => CheckElementwisePair(call, args),
        };
        if (shape is null)
            return null;
        return function.Function switch
        {
            // Spellings of the power and of min/max: bound as what they mean, so every later stage knows them already.
            BuiltinFunction.Pow => new BoundBinary(BinaryOperator.Power, args[0], args[1], shape.Value, at),
            BuiltinFunction.Square => new BoundBinary(BinaryOperator.Power, args[0], new BoundNumber(2.0, at), shape.Value, at),
            BuiltinFunction.Cube => new BoundBinary(BinaryOperator.Power, args[0], new BoundNumber(3.0, at), shape.Value, at),
            // clamp(x, lo, hi) = min(max(x, lo), hi): torch.clamp's value (hi where lo > hi), and against fixed bounds its
            // gradient (passed at the ties).
            BuiltinFunction.Clamp => new BoundCall(BuiltinFunction.Min, EquatableArray.Create<BoundExpression>(
                new BoundCall(BuiltinFunction.Max, EquatableArray.Create(args[0], args[1]), ShapeRules.Broadcast(args[0].Shape, args[1].Shape)!.Value, at),
                args[2]), shape.Value, at),
            _ => new BoundCall(function.Function, args.ToEquatableArray(), shape.Value, at),
        };
    }

    private Shape? CheckElementwiseTriple(CallExpression call, BoundExpression[] args)
    {
        Shape? first = CheckElementwisePair(call, args);
        if (first is null)
            return null;
        Shape? shape = ShapeRules.Broadcast(first.Value, args[2].Shape);
        if (shape is null)
        {
            int other = ShapeRules.Broadcast(args[0].Shape, args[2].Shape) is null ? 0 : 1;
            ReportMismatch(call, "'" + SourceFormatter.Format(call) + "'", call.Arguments[other], args[other], call.Arguments[2], args[2],
                $"'{call.Callee.Name}' works elementwise, so its arguments need the same shape, or must be scalars");
        }
        return shape;
    }

    private Shape? CheckDot(CallExpression call, BoundExpression[] args)
    {
        for (int i = 0; i < 2; i++)
        {
            if (!args[i].Shape.IsVector)
            {
                diagnostics.Add(DiagnosticCatalog.InvalidArgumentShape(FilePath, call.Arguments[i].Span, "dot", "two vectors of the same length",
                    SourceFormatter.Format(call.Arguments[i]), args[i].Shape.ToString()));
                return null;
            }
        }
        if (args[0].Shape[0] != args[1].Shape[0])
        {
            ReportMismatch(call, "'" + SourceFormatter.Format(call) + "'", call.Arguments[0], args[0], call.Arguments[1], args[1],
                "'dot' needs two vectors of the same length");
            return null;
        }
        return Shape.Scalar;
    }

    private Shape? CheckElementwisePair(CallExpression call, BoundExpression[] args)
    {
        Shape? shape = ShapeRules.Broadcast(args[0].Shape, args[1].Shape);
        if (shape is null)
        {
            ReportMismatch(call, "'" + SourceFormatter.Format(call) + "'", call.Arguments[0], args[0], call.Arguments[1], args[1],
                $"'{call.Callee.Name}' works elementwise, so both arguments need the same shape, or one must be a scalar");
        }
        return shape;
    }

    private BoundExpression? BindLayerApplication(CallExpression call, LayerSymbol layer, List<BoundExpression?> arguments)
    {
        if (arguments.Count != 1)
        {
            diagnostics.Add(DiagnosticCatalog.WrongArgumentCount(FilePath, call.Span, layer.Name, "1 argument (its input vector)", arguments.Count, $"'{layer.Name}(x)'"));
            return null;
        }
        if (arguments[0] is not { } input)
            return null;
        if (!input.Shape.IsVector || input.Shape[0] != layer.InFeatures)
        {
            diagnostics.Add(DiagnosticCatalog.LayerInputMismatch(FilePath, call.Arguments[0].Span, layer.Name, layer.InFeatures, layer.OutFeatures,
                layer.Location.Span, SourceFormatter.Format(call.Arguments[0]), input.Shape.ToString()));
            return null;
        }
        return new BoundLayerApplication(layer, input, Shape.Vector(layer.OutFeatures), new LocationHint(call.Span));
    }

    private BoundExpression? BindConcatenation(ConcatenationExpression concat)
    {
        var parts = new List<BoundExpression>();
        bool failed = false;
        foreach (Expression part in concat.Parts)
        {
            BoundExpression? bound = Bind(part);
            if (bound is null)
            {
                failed = true;
                continue;
            }
            if (bound.Shape.Rank > 1)
            {
                diagnostics.Add(DiagnosticCatalog.InvalidConcatenationPart(FilePath, part.Span, SourceFormatter.Format(part), bound.Shape.ToString()));
                failed = true;
                continue;
            }
            parts.Add(bound);
        }
        if (failed)
            return null;
        int length = parts.Sum(p => p.Shape.Size);
        return new BoundConcatenation(parts.ToEquatableArray(), Shape.Vector(length), new LocationHint(concat.Span));
    }

    private BoundExpression? BindIndex(IndexExpression index)
    {
        if (BindIndexable(index.Target) is not { } target)
            return null;
        int length = target.Shape[0];
        if (ConstantInteger(index.Index, "An index") is not int i)
            return null;
        int resolved = i < 0 ? i + length : i;
        if (resolved < 0 || resolved >= length)
        {
            diagnostics.Add(DiagnosticCatalog.IndexOutOfRange(FilePath, index.Index.Span, Int(i), SourceFormatter.Format(index.Target), target.Shape.ToString(), length));
            return null;
        }
        return new BoundIndex(target, resolved, Rest(target.Shape), new LocationHint(index.Span));
    }

    private BoundExpression? BindSlice(SliceExpression slice)
    {
        if (BindIndexable(slice.Target) is not { } target)
            return null;
        int length = target.Shape[0];
        int? start = slice.Start is null ? 0 : ConstantInteger(slice.Start, "A slice bound");
        int? end = slice.End is null ? length : ConstantInteger(slice.End, "A slice bound");
        if (start is null || end is null)
            return null;
        int from = start.Value < 0 ? start.Value + length : start.Value;
        int to = end.Value < 0 ? end.Value + length : end.Value;
        if (from < 0 || to > length || from >= to)
        {
            string text = (slice.Start is null ? "" : Int(start.Value)) + ":" + (slice.End is null ? "" : Int(end.Value));
            diagnostics.Add(DiagnosticCatalog.IndexOutOfRange(FilePath, slice.Span, text, SourceFormatter.Format(slice.Target), target.Shape.ToString(), length));
            return null;
        }
        var dims = new List<int> { to - from };
        dims.AddRange(target.Shape.Dimensions.Skip(1));
        return new BoundSlice(target, from, to, new Shape(dims.ToEquatableArray()), new LocationHint(slice.Span));
    }

    private BoundExpression? BindIndexable(Expression target)
    {
        if (Bind(target) is not { } bound)
            return null;
        if (bound.Shape.IsScalar)
        {
            diagnostics.Add(DiagnosticCatalog.NotIndexable(FilePath, target.Span, SourceFormatter.Format(target), bound.Shape.ToString()));
            return null;
        }
        return bound;
    }

    /// <summary>Folds an expression that must be a constant whole number (an index or slice bound).</summary>
    private int? ConstantInteger(Expression expression, string what)
    {
        if (ConstantFolder.Fold(expression) is not double value)
        {
            diagnostics.Add(DiagnosticCatalog.NotConstant(FilePath, expression.Span, what, "whole number", SourceFormatter.Format(expression)));
            return null;
        }
        if (ConstantFolder.AsInteger(value) is not int integer)
        {
            diagnostics.Add(DiagnosticCatalog.NotConstant(FilePath, expression.Span, what, "whole number", SourceFormatter.Format(expression)));
            return null;
        }
        return integer;
    }

    private void ReportMismatch(Expression whole, string operation, Expression leftAst, BoundExpression left, Expression rightAst, BoundExpression right, string rule) =>
        diagnostics.Add(DiagnosticCatalog.ShapeMismatch(FilePath, whole.Span, operation, Describe(leftAst, left), Describe(rightAst, right), rule));

    /// <summary>"'W1' has shape (50, 3) (param declared at line 6)": the operand, its shape and where that came from.</summary>
    private string Describe(Expression ast, BoundExpression bound)
    {
        string text = $"'{SourceFormatter.Format(ast)}' has shape {bound.Shape}";
        if (ast is NameReference reference && scope.Lookup(reference.Name) is { } declared)
        {
            return declared.Kind == SymbolKind.Time
                ? text + " (the time)"
                : text + $" ({declared.KindWord} declared at line {Int(declared.Span.Line)})";
        }
        return text;
    }

    private static Shape Rest(Shape shape) => new(shape.Dimensions.Skip(1).ToEquatableArray());

    private static string Arguments(int count) => count == 1 ? "1 argument" : Int(count) + " arguments";

    private static string Int(int value) => value.ToString(CultureInfo.InvariantCulture);
}
