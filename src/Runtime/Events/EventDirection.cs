namespace OdeDsl;

/// <summary>Which zero crossings of an event function count as events.</summary>
public enum EventDirection
{
    /// <summary>Either sign change (negative to non-negative, or positive to non-positive).</summary>
    Either,

    /// <summary>Only from negative to non-negative (the function rises through zero).</summary>
    Rising,

    /// <summary>Only from positive to non-positive (the function falls through zero): a ball reaching the floor.</summary>
    Falling,
}
