using System.ComponentModel;
using System.Security.Cryptography;
using System.Text;
using Control.Domain.Clients;
using Control.Domain.Common;
using Control.Domain.CustomClients;
using Control.Domain.Operators;
using Control.Domain.Organizations;
using Control.Domain.People;

namespace Control.Domain.Offboarding;

/// <summary>
/// The seven steps of an offboarding, in the reference page's order and with its numbers: the number is what the step
/// events and the saga's step messages store and what the reports show, so a member's value never changes. Each member's
/// description is the step's name as the offboarding document stores it and the reports show it.
/// </summary>
public enum OffboardingStep
{
    /// <summary>Step 1: remove the person's own clients from the organization (its address book).</summary>
    [Description("remove the person's own clients")]
    RemoveTheirClients = 1,

    /// <summary>Step 2: disable their operator accounts and reset the shared portal passwords they knew.</summary>
    [Description("disable their operator accounts and reset shared portal credentials they knew")]
    DisableAccountsAndResetPortalPasswords = 2,

    /// <summary>Step 3: reset the license key (if they knew it, or in full mode).</summary>
    [Description("reset the license key")]
    ResetLicenseKey = 3,

    /// <summary>Step 4: make the custom-client links they knew private and rotate them.</summary>
    [Description("make private and rotate custom-client links")]
    MakeCustomClientLinksPrivate = 4,

    /// <summary>Step 5: clear all tokens on the clients where they hold a remember-token.</summary>
    [Description("clear tokens where they hold a remember-token")]
    ClearAllTokens = 5,

    /// <summary>Step 6: change the unattended access passwords they know (full mode: of every client they could reach).</summary>
    [Description("rotate unattended passwords")]
    ChangeUnattendedAccessPasswords = 6,

    /// <summary>Step 7: remove their ids and aliases from every access control list, then release their aliases.</summary>
    [Description("remove them from every access control list and release their aliases")]
    RemoveFromAccessControlLists = 7,
}

/// <summary>
/// The steps in order. Each is an idempotent command: its id is derived from the offboarding's id, and a step whose
/// completion is recorded is never run again (a retry or a resumed saga skips it).
/// </summary>
public static class OffboardingSteps
{
    public static IReadOnlyList<OffboardingStep> All { get; } = Enum.GetValues<OffboardingStep>();

    public static int Count => All.Count;

    public static OffboardingStep Last => All[^1];

    private static readonly Dictionary<OffboardingStep, string> Names = All.ToDictionary(
        step => step,
        step => typeof(OffboardingStep).GetField(step.ToString())!.GetCustomAttributes(typeof(DescriptionAttribute), false).Cast<DescriptionAttribute>().Single().Description);

    public static string Name(this OffboardingStep step) => Names[step];

    /// <summary>A deterministic id for step <paramref name="step"/> of an offboarding (a name-based UUID, RFC 9562 style).</summary>
    public static string StepId(Guid offboardingId, int step)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"control/offboarding/{offboardingId:N}/step/{step}"));
        hash[6] = (byte)((hash[6] & 0x0F) | 0x80);
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80);
        return new Guid(hash.AsSpan(0, 16), bigEndian: true).ToString();
    }
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
