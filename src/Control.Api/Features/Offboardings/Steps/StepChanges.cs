using Control.Domain.Offboarding;
using JasperFx.Events;
using Marten;

namespace Control.Api.Features.Offboardings.Steps;

/// <summary>
/// Appends a change the decider made to its stream and records it, event by event with the version it gets, for the
/// step's own event (<see cref="OffboardingStepCompleted"/>, <see cref="OffboardingStepProgressed"/>) and the report.
/// </summary>
public static class StepChanges
{
    /// <summary>A stream read with its version (clients, through the identity map): appended against that version.</summary>
    public static void Append(IDocumentSession session, OffboardingStreamChange change, List<OffboardingChange> recorded)
    {
        session.Events.Append(change.TargetId, change.FromVersion + change.Events.Count, [.. change.Events]);
        Record(change, change.FromVersion, recorded);
    }

    /// <summary>A stream fetched for writing: appended to it, and its version checked when the transaction commits.</summary>
    public static void Append<T>(IEventStream<T> stream, OffboardingStreamChange change, List<OffboardingChange> recorded) where T : class
    {
        var version = (stream.StartingVersion ?? 0) + stream.Events.Count;
        stream.AppendMany([.. change.Events]);
        Record(change, version, recorded);
    }

    private static void Record(OffboardingStreamChange change, long version, List<OffboardingChange> recorded)
    {
        for (var i = 0; i < change.Events.Count; i++)
        {
            recorded.Add(new OffboardingChange(change.TargetKind, change.TargetId, change.Target, change.Events[i].GetType().Name, version + i + 1, change.What));
        }
    }
}
