using Control.Domain.Clients;
using Control.Domain.Common;
using Control.Domain.CustomClients;
using Control.Domain.Operators;
using Control.Domain.Organizations;
using Control.Domain.People;

namespace Control.Domain.Offboarding;

/// <summary>
/// The seven steps of an offboarding, in the reference page's order and with its numbers: the number is what the step
/// events and the saga's step messages store and what the reports show, so a member's value never changes.
/// </summary>
public enum OffboardingStep
{
    /// <summary>Step 1: remove the person's own clients from the organization (its address book).</summary>
    RemoveTheirClients = 1,

    /// <summary>Step 2: disable their operator accounts and reset the shared portal passwords they knew.</summary>
    DisableAccountsAndResetPortalPasswords = 2,

    /// <summary>Step 3: reset the license key (if they knew it, or in full mode).</summary>
    ResetLicenseKey = 3,

    /// <summary>Step 4: make the custom-client links they knew private and rotate them.</summary>
    MakeCustomClientLinksPrivate = 4,

    /// <summary>Step 5: clear all tokens on the clients where they hold a remember-token.</summary>
    ClearAllTokens = 5,

    /// <summary>Step 6: change the unattended access passwords they know (full mode: of every client they could reach).</summary>
    ChangeUnattendedAccessPasswords = 6,

    /// <summary>Step 7: remove their ids and aliases from every access control list, then release their aliases.</summary>
    RemoveFromAccessControlLists = 7,
}

/// <summary>The kinds of stream an offboarding changes, as <see cref="OffboardingChange.TargetKind"/> stores them.</summary>
public static class OffboardingTargets
{
    public const string Client = "client";
    public const string Operator = "operator";
    public const string Organization = "organization";
    public const string CustomClient = "custom-client";
    public const string Person = "person";
}

/// <summary>
/// The events a step decided for one stream, against the version it read (<paramref name="FromVersion"/>); the API appends
/// them and records each as an <see cref="OffboardingChange"/> saying <paramref name="What"/>.
/// </summary>
public sealed record OffboardingStreamChange(string TargetKind, Guid TargetId, string Target, long FromVersion, IReadOnlyList<object> Events, string What);

/// <summary>A secret a step generated that no one has seen (a license key, an unattended password): sealed until an admin asks.</summary>
public sealed record OffboardingSealedSecret(string Key, string Value);

/// <summary>What a step changes (per stream), what it reports without changing, and which new secrets it seals.</summary>
public sealed record OffboardingStepDecision(
    IReadOnlyList<OffboardingStreamChange> Changes, IReadOnlyList<string> Notes, IReadOnlyList<OffboardingSealedSecret> Sealed)
{
    public static OffboardingStepDecision Of(IReadOnlyList<OffboardingStreamChange> changes, params IReadOnlyList<string> notes) => new(changes, notes, []);
}

/// <summary>
/// What a step decides from: the person, their exposure (the secrets they know now), the mode, and the part of the
/// organization's current state the step read (only the clients it needs; the others may be absent).
/// </summary>
public sealed record OffboardingFacts(
    Person Person, IReadOnlyList<SecretKnowledge> Exposure, OffboardingMode Mode, Organization Organization, IReadOnlyList<Client> Clients,
    IReadOnlyList<Operator> Operators, IReadOnlyList<CustomClient> CustomClients)
{
    public bool Full => Mode == OffboardingMode.Full;

    /// <summary>The subjects (clients, operators, custom clients, the organization) of which the person knows this secret.</summary>
    public IReadOnlySet<Guid> Knows(SecretKind secret) => Exposure.Where(k => k.Secret == secret).Select(k => k.SubjectId).ToHashSet();
}

/// <summary>The person's operator accounts, and the accounts of others whose password they know (shared portal credentials).</summary>
public sealed record AccountsAtStake(IReadOnlyList<Operator> Theirs, IReadOnlyList<Operator> Shared);
