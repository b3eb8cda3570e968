using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using OdeDsl.Language.Ast;

namespace OdeDsl.Language.Semantics;

/// <summary>
/// Binds one model declaration: declares every name (reserved words, duplicates), evaluates
/// shapes and constant values, pairs states with equations, orders the lets, and binds and
/// shape-checks every expression. Returns null when the model has any error.
/// </summary>
internal sealed class ModelBinder
{
    private readonly ModelDeclaration model;
    private readonly DiagnosticBag diagnostics;
    private readonly Scope scope = new();
    private readonly List<(Identifier Name, Shape Shape)> states = new();
    private readonly List<ParamSymbol> parameters = new();
    private readonly List<ConstSymbol> consts = new();
    private readonly List<LayerSymbol> layers = new();
    private readonly List<LetDeclaration> lets = new();
    private readonly Dictionary<string, EquationDeclaration> equations = new();

    private ModelBinder(ModelDeclaration model, DiagnosticBag diagnostics)
    {
        this.model = model;
        this.diagnostics = diagnostics;
    }

    private string FilePath => diagnostics.FilePath;

    public static BoundModel? Bind(ModelDeclaration model, string ns, DiagnosticBag diagnostics)
    {
        int before = diagnostics.Count;
        var binder = new ModelBinder(model, diagnostics);
        BoundModel result = binder.BindModel(ns);
        return diagnostics.Count == before ? result : null;
    }

    private BoundModel BindModel(string ns)
    {
        if (ReservedWords.ModelNameReason(model.Name.Text) is { } why)
            diagnostics.Add(DiagnosticCatalog.ModelNameTakenByCSharp(FilePath, model.Name.Span, model.Name.Text, why));
        foreach (MemberDeclaration member in model.Members)
            Declare(member);
        foreach (EquationDeclaration equation in model.Members.OfType<EquationDeclaration>())
            PairWithState(equation);
        CheckEveryStateHasAnEquation();
        CheckFlowState();

        var binder = new ExpressionBinder(scope, diagnostics);
        var boundLets = new List<BoundLet>();
        foreach (LetDeclaration let in LetOrder.Order(lets, scope, diagnostics))
        {
            if (binder.Bind(let.Value) is not { } value)
                continue;
            scope.SetLetShape(let.Name.Text, value.Shape);
            boundLets.Add(new BoundLet(let.Name.Text, value, let.Span.Line, SourceFormatter.Format(let), new LocationHint(let.Span)));
        }

        var stateSymbols = new List<StateSymbol>();
        var boundEquations = new List<BoundEquation>();
        int offset = 0;
        foreach ((Identifier name, Shape shape) in states)
        {
            stateSymbols.Add(new StateSymbol(name.Text, shape, offset, new LocationHint(name.Span)));
            offset += shape.Size;
            if (equations.TryGetValue(name.Text, out EquationDeclaration? equation) && BindEquation(binder, equation, name, shape) is { } bound)
                boundEquations.Add(bound);
        }

        return new BoundModel(FilePath, ns, model.Name.Text, model.Kind,
            stateSymbols.ToEquatableArray(), parameters.ToEquatableArray(), consts.ToEquatableArray(), layers.ToEquatableArray(),
            boundLets.ToEquatableArray(), boundEquations.ToEquatableArray(), new LocationHint(model.Span))
        {
            NameLocation = new LocationHint(model.Name.Span),
        };
    }

    // ---- Declarations ------------------------------------------------------------------------

    private void Declare(MemberDeclaration member)
    {
        switch (member)
        {
            case StateDeclaration state:
                foreach (StateDeclarator declarator in state.Declarators)
                {
                    Shape? shape = DeclaredShape(declarator.Name, declarator.Dimensions);
                    if (shape is not { } s)
                        scope.Rejected.Add(declarator.Name.Text);
                    else if (TryDeclare(declarator.Name, SymbolKind.State, s))
                        states.Add((declarator.Name, s));
                }
                break;
            case ParamDeclaration param:
                DeclareParam(param);
                break;
            case ConstDeclaration constant:
                // Declared even when its value is wrong, so that its uses are not reported as unknown.
                if (TryDeclare(constant.Name, SymbolKind.Const, Shape.Scalar) && Constant(constant.Value, $"The value of const '{constant.Name.Text}'") is { } value)
                    consts.Add(new ConstSymbol(constant.Name.Text, value, new LocationHint(constant.Name.Span)));
                break;
            case LayerDeclaration layer:
                DeclareLayer(layer);
                break;
            case LetDeclaration let:
                if (TryDeclare(let.Name, SymbolKind.Let, Shape.Scalar))
                    lets.Add(let);
                break;
        }
    }

    private void DeclareParam(ParamDeclaration param)
    {
        if (DeclaredShape(param.Name, param.Dimensions) is not { } shape)
        {
            scope.Rejected.Add(param.Name.Text);
            return;
        }
        // Declared even when its initialiser is wrong, so that its uses are not reported as unknown.
        if (!TryDeclare(param.Name, SymbolKind.Param, shape))
            return;
        ParamInitializer? initializer = param.InitialValue is { } value
            ? Constant(value, $"The initial value of param '{param.Name.Text}'") is { } v ? ParamInitializer.Value(v) : null
            : Initializer(param, param.Initializer!, shape);
        if (initializer is not null)
            parameters.Add(new ParamSymbol(param.Name.Text, shape, initializer, null, new LocationHint(param.Name.Span)));
    }

    private ParamInitializer? Initializer(ParamDeclaration param, InitializerSyntax syntax, Shape shape)
    {
        string name = syntax.Name.Text;
        int index = Builtins.Initializers.ToList().FindIndex(i => i.Name == name);
        if (index < 0)
        {
            IEnumerable<string> known = Builtins.Initializers.Select(i => i.Name);
            diagnostics.Add(DiagnosticCatalog.UnknownInitializer(FilePath, syntax.Name.Span, name, NameSuggester.Suggest(name, known), known));
            return null;
        }
        var (_, kind, arity, usage) = Builtins.Initializers[index];
        if (syntax.Arguments.Count != arity)
        {
            diagnostics.Add(DiagnosticCatalog.WrongArgumentCount(FilePath, syntax.Span, name, arity == 0 ? "no arguments" : Int(arity) + (arity == 1 ? " argument" : " arguments"), syntax.Arguments.Count, "'" + usage + "'"));
            return null;
        }
        if (kind is InitializerKind.Glorot or InitializerKind.Kaiming && !shape.IsMatrix)
        {
            // Both scale by fan-in (and fan-out), which only a matrix has.
            diagnostics.Add(DiagnosticCatalog.InvalidArgumentShape(FilePath, syntax.Name.Span, name, $"a matrix param such as 'param W[m, n] ~ {name};'", param.Name.Text, shape.ToString()));
            return null;
        }
        var arguments = new List<double>();
        foreach (Expression argument in syntax.Arguments)
        {
            if (Constant(argument, $"An argument of '{name}'") is not double value)
                return null;
            arguments.Add(value);
        }
        if (kind == InitializerKind.Normal && arguments[1] < 0)
        {
            diagnostics.Add(DiagnosticCatalog.InvalidInitializerArguments(FilePath, syntax.Arguments[1].Span, usage,
                $"the standard deviation {Number(arguments[1])} is negative; use 0 or more"));
            return null;
        }
        if (kind == InitializerKind.Uniform && arguments[0] > arguments[1])
        {
            diagnostics.Add(DiagnosticCatalog.InvalidInitializerArguments(FilePath, syntax.Span, usage,
                $"the low bound {Number(arguments[0])} is above the high bound {Number(arguments[1])}; write the smaller bound first"));
            return null;
        }
        return new ParamInitializer(kind, arguments.ToEquatableArray());
    }

    private void DeclareLayer(LayerDeclaration layer)
    {
        // Until it is declared, its uses (l(x), l.W) stay silent: the error is at the declaration.
        scope.Rejected.Add(layer.Name.Text);
        if (layer.Kind.Text != Builtins.LinearLayer)
        {
            diagnostics.Add(DiagnosticCatalog.UnknownLayerKind(FilePath, layer.Kind.Span, layer.Kind.Text));
            return;
        }
        if (layer.Arguments.Count != 2)
        {
            diagnostics.Add(DiagnosticCatalog.WrongArgumentCount(FilePath, layer.Span, "linear", "2 arguments (the input and output sizes)", layer.Arguments.Count, "'linear(in, out)'"));
            return;
        }
        int? inFeatures = PositiveInteger(layer.Arguments[0], "The input size of a layer");
        int? outFeatures = PositiveInteger(layer.Arguments[1], "The output size of a layer");
        if (inFeatures is not int i || outFeatures is not int o)
            return;
        var symbol = new LayerSymbol(layer.Name.Text, i, o, new LocationHint(layer.Span));
        scope.Rejected.Remove(layer.Name.Text);
        if (!TryDeclare(layer.Name, SymbolKind.Layer, Shape.Scalar, symbol))
            return;
        layers.Add(symbol);
        var at = new LocationHint(layer.Name.Span);
        parameters.Add(new ParamSymbol(symbol.WeightParam, Shape.Matrix(o, i), new ParamInitializer(InitializerKind.LinearWeight, EquatableArray.Create((double)i)), symbol.Name, at));
        parameters.Add(new ParamSymbol(symbol.BiasParam, Shape.Vector(o), new ParamInitializer(InitializerKind.LinearBias, EquatableArray.Create((double)i)), symbol.Name, at));
        scope.Declare(new DeclaredName(symbol.WeightParam, SymbolKind.Param, Shape.Matrix(o, i), layer.Name.Span));
        scope.Declare(new DeclaredName(symbol.BiasParam, SymbolKind.Param, Shape.Vector(o), layer.Name.Span));
    }

    /// <summary>Declares a name unless it is reserved or taken (both reported).</summary>
    private bool TryDeclare(Identifier name, SymbolKind kind, Shape shape, LayerSymbol? layer = null)
    {
        if (ReservedWords.Reason(name.Text) is { } why)
        {
            diagnostics.Add(DiagnosticCatalog.ReservedName(FilePath, name.Span, name.Text, why));
            scope.Rejected.Add(name.Text);
            return false;
        }
        if (scope.Declare(new DeclaredName(name.Text, kind, shape, name.Span, layer)) is { } previous)
        {
            diagnostics.Add(DiagnosticCatalog.DuplicateDeclaration(FilePath, name.Span, name.Text, previous.KindWord, previous.Span));
            return false;
        }
        return true;
    }

    private Shape? DeclaredShape(Identifier name, EquatableArray<Expression> dimensions)
    {
        if (dimensions.Count > 2)
        {
            diagnostics.Add(DiagnosticCatalog.TooManyDimensions(FilePath, name.Span, name.Text, dimensions.Count));
            return null;
        }
        var sizes = new List<int>();
        foreach (Expression dimension in dimensions)
        {
            if (PositiveInteger(dimension, $"A dimension of '{name.Text}'") is not int size)
                return null;
            sizes.Add(size);
        }
        return new Shape(sizes.ToEquatableArray());
    }

    private int? PositiveInteger(Expression expression, string what)
    {
        if (Constant(expression, what) is not double value)
            return null;
        if (ConstantFolder.AsInteger(value) is int integer && integer > 0)
            return integer;
        diagnostics.Add(DiagnosticCatalog.InvalidDimension(FilePath, expression.Span, what, SourceFormatter.Format(expression), value.ToString("R", CultureInfo.InvariantCulture)));
        return null;
    }

    // The first const an expression names (a common wish: 'param W[n, n]' with 'const n'), for a message that says why not.
    private string? ConstIn(Expression expression) => expression switch
    {
        NameReference name => scope.Lookup(name.Name) is { Kind: SymbolKind.Const } ? name.Name : null,
        NegateExpression negate => ConstIn(negate.Operand),
        BinaryExpression binary => ConstIn(binary.Left) ?? ConstIn(binary.Right),
        CallExpression call => call.Arguments.Select(ConstIn).FirstOrDefault(name => name is not null),
        _ => null,
    };

    private double? Constant(Expression expression, string what)
    {
        if (ConstantFolder.Fold(expression) is not double value)
        {
            diagnostics.Add(DiagnosticCatalog.NotConstant(FilePath, expression.Span, what, "number", SourceFormatter.Format(expression), ConstIn(expression)));
            return null;
        }
        if (double.IsNaN(value) || double.IsInfinity(value))
        {
            diagnostics.Add(DiagnosticCatalog.NotFinite(FilePath, expression.Span, what, SourceFormatter.Format(expression)));
            return null;
        }
        return value;
    }

    // ---- Equations ---------------------------------------------------------------------------

    private void PairWithState(EquationDeclaration equation)
    {
        string name = equation.State.Text;
        if (scope.Rejected.Contains(name))
            return;
        DeclaredName? declared = scope.Lookup(name);
        if (declared?.Kind != SymbolKind.State)
        {
            string? suggestion = declared is null ? NameSuggester.Suggest(name, scope.StateNames) : null;
            diagnostics.Add(DiagnosticCatalog.EquationForNonState(FilePath, equation.State.Span, name, declared?.KindWord, suggestion));
            return;
        }
        if (equations.TryGetValue(name, out EquationDeclaration? previous))
        {
            diagnostics.Add(DiagnosticCatalog.DuplicateEquation(FilePath, equation.State.Span, name, previous.State.Span));
            return;
        }
        equations.Add(name, equation);
    }

    private void CheckEveryStateHasAnEquation()
    {
        if (states.Count == 0 && !model.Members.OfType<StateDeclaration>().Any())
            diagnostics.Add(DiagnosticCatalog.NoState(FilePath, model.Name.Span, model.Name.Text));
        foreach ((Identifier name, _) in states)
        {
            if (!equations.ContainsKey(name.Text))
                diagnostics.Add(DiagnosticCatalog.MissingEquation(FilePath, name.Span, name.Text));
        }
    }

    /// <summary>A flow transforms one sample: exactly one vector state (its log-density follows from the divergence).</summary>
    private void CheckFlowState()
    {
        if (model.Kind != ModelKind.Flow || states.Count == 0)
            return;
        if (states.Count > 1)
        {
            string names = string.Join(", ", states.Select(state => state.Name.Text));
            diagnostics.Add(DiagnosticCatalog.FlowStateNotOneVector(FilePath, states[1].Name.Span, model.Name.Text, $"declares {states.Count} states ({names})"));
        }
        else if (!states[0].Shape.IsVector)
        {
            (Identifier name, Shape shape) = states[0];
            string what = shape.IsScalar ? $"declares the scalar state '{name.Text}'" : $"declares the matrix state '{name.Text}' of shape {shape}";
            diagnostics.Add(DiagnosticCatalog.FlowStateNotOneVector(FilePath, name.Span, model.Name.Text, what));
        }
    }

    private BoundEquation? BindEquation(ExpressionBinder binder, EquationDeclaration equation, Identifier state, Shape shape)
    {
        if (binder.Bind(equation.Value) is not { } value)
            return null;
        if (value.Shape != shape)
        {
            diagnostics.Add(DiagnosticCatalog.EquationShapeMismatch(FilePath, equation.Value.Span, state.Text, value.Shape.ToString(), shape.ToString(), state.Span));
            return null;
        }
        return new BoundEquation(state.Text, value, equation.Span.Line, SourceFormatter.Format(equation), new LocationHint(equation.Span));
    }

    private static string Int(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Number(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
