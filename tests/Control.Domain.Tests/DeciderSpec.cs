using System.Text.Json;
using Control.Domain.Common;

namespace Control.Domain.Tests;

/// <summary>
/// Given events, when a command, then events or a refusal: a decider test reads as the specification of one rule.
/// <code>
/// Spec.Given(Enrolled()).When(c => ClientDecider.Decide(new EnableAcl(), c, Owner, T0)).Then(new AclEnabled(Id, Owner, T0));
/// </code>
/// Events compare by their JSON (type and every field), so events holding lists compare by content, not reference.
/// </summary>
public sealed class DeciderSpec<TState>(Func<TState?, object, TState?> evolve)
    where TState : class
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = false };
    private readonly List<object> given = [];

    public DeciderSpec<TState> Given(params object[] events)
    {
        given.AddRange(events);
        return this;
    }

    public Outcome When(Func<TState, Decision> decide)
    {
        var state = given.Aggregate((TState?)null, evolve)
            ?? throw new InvalidOperationException($"The given events build no {typeof(TState).Name}: start with its creation event.");
        return new Outcome(decide(state), state, evolve);
    }

    /// <summary>A decision, checked against what the rule says.</summary>
    public sealed class Outcome(Decision decision, TState state, Func<TState?, object, TState?> evolve)
    {
        public Decision Decision => decision;

        /// <summary>Exactly these events, in this order.</summary>
        public TState Then(params object[] expected)
        {
            Assert.Null(decision.Refusal);
            Assert.Equal(expected.Select(Describe), decision.Events.Select(Describe));
            return decision.Events.Aggregate((TState?)state, evolve)!;
        }

        /// <summary>The command is already satisfied: no events and no refusal.</summary>
        public void ThenNothing()
        {
            Assert.Null(decision.Refusal);
            Assert.Empty(decision.Events);
        }

        /// <summary>A typed refusal with this stable code (and this kind, when given); never events beside it.</summary>
        public Refusal ThenRefused(string code, RefusalKind? kind = null)
        {
            var refusal = Assert.IsType<Refusal>(decision.Refusal);
            Assert.Equal(code, refusal.Code);
            if (kind is { } expectedKind)
            {
                Assert.Equal(expectedKind, refusal.Kind);
            }

            Assert.Empty(decision.Events);
            return refusal;
        }

        private static string Describe(object e) => e.GetType().Name + JsonSerializer.Serialize(e, e.GetType(), Json);
    }
}
