using System.Runtime.CompilerServices;
using Antlr4.Runtime;
using OdeDsl.Language.Syntax.Generated;

namespace OdeDsl.Language.Syntax;

/// <summary>
/// The generated parser, made to fail softly on pathological nesting (`- - - … x`, `a^a^…^a`):
/// before each rule it checks the remaining stack, and the caller turns the exception into ODE0009.
/// A stack overflow would kill the compiler process instead.
/// </summary>
internal sealed class GuardedParser : OdeParser
{
    public GuardedParser(ITokenStream input)
        : base(input)
    {
        RemoveErrorListeners();
    }

    public override void EnterRule(ParserRuleContext localctx, int state, int ruleIndex)
    {
        RuntimeHelpers.EnsureSufficientExecutionStack();
        base.EnterRule(localctx, state, ruleIndex);
    }

    public override void EnterRecursionRule(ParserRuleContext localctx, int state, int ruleIndex, int precedence)
    {
        RuntimeHelpers.EnsureSufficientExecutionStack();
        base.EnterRecursionRule(localctx, state, ruleIndex, precedence);
    }
}
