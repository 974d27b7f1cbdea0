namespace Control.Domain.Common;

/// <summary>How a refusal maps onto the caller's world: the API turns these into HTTP status codes.</summary>
public enum RefusalKind
{
    /// <summary>The request is well-formed but breaks a rule of the domain (400).</summary>
    Invalid,
    /// <summary>The request conflicts with the current state (409).</summary>
    Conflict,
    /// <summary>The actor may not do this to this target (403).</summary>
    Forbidden,
    /// <summary>The target does not exist (404).</summary>
    NotFound,
    /// <summary>Too many failed attempts from the caller lately: try again later (429).</summary>
    TooManyAttempts,
}

/// <summary>A typed "no" from a decider. Codes are stable and documented; messages are for humans.</summary>
public sealed record Refusal(RefusalKind Kind, string Code, string Message);

/// <summary>The outcome of a decide function: the events to append, or a refusal. Never both.</summary>
public sealed record Decision
{
    private Decision(IReadOnlyList<object> events, Refusal? refusal)
    {
        Events = events;
        Refusal = refusal;
    }

    public IReadOnlyList<object> Events { get; }
    public Refusal? Refusal { get; }
    public bool IsRefused => Refusal is not null;

    public static Decision Accept(params object[] events) => new(events, null);

    /// <summary>The command is already satisfied: repeating it is a no-op, not an error.</summary>
    public static Decision NothingToDo { get; } = new(Array.Empty<object>(), null);

    public static Decision Refuse(RefusalKind kind, string code, string message) => new(Array.Empty<object>(), new Refusal(kind, code, message));

    public static implicit operator Decision(Refusal refusal) => new(Array.Empty<object>(), refusal);
}
