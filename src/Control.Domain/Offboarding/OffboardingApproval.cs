using Control.Domain.Common;
using Control.Domain.Operators;
using Control.Domain.People;

namespace Control.Domain.Offboarding;

/// <param name="Accounts">The person's privileged accounts now (<see cref="OffboardingApproval.PrivilegedAccounts"/>).</param>
public sealed record RequestOffboardingApproval(IReadOnlyList<string> Accounts);

public sealed record ApproveOffboarding;

/// <summary>
/// The two-person rule: offboarding a person linked to an owner or security-admin account waits, changing nothing, until an
/// owner other than its starter approves it, so that no single operator can turn an offboarding against the organization's
/// administrators.
/// </summary>
public static class OffboardingApproval
{
    /// <summary>The operator accounts that are the person's: linked to them, or named by one of their linked aliases.</summary>
    public static IReadOnlyList<Operator> NamedAccounts(Person person, IEnumerable<Operator> operators)
    {
        var aliases = person.AclIdentities().ToHashSet(StringComparer.Ordinal);
        var linked = person.Operators.Select(o => o.OperatorId).ToHashSet();
        return operators.Where(o => linked.Contains(o.Id) || aliases.Contains(o.QualifiedName)).ToList();
    }

    /// <summary>The person's accounts that are not disabled and hold an owner or security-admin role.</summary>
    public static IReadOnlyList<string> PrivilegedAccounts(Person person, IEnumerable<Operator> operators) =>
        NamedAccounts(person, operators)
            .Where(o => o.Status != OperatorStatus.Disabled && o.Role.IsPrivileged())
            .Select(o => o.QualifiedName)
            .Order(StringComparer.Ordinal)
            .ToList();

    /// <summary>
    /// Asked when the offboarding is requested and again just before it starts (a privileged account linked in between
    /// needs the approval too); an approval covers the accounts it was given for.
    /// </summary>
    public static Decision Decide(RequestOffboardingApproval c, Offboarding state, DateTimeOffset now)
    {
        var uncovered = state.ApprovedBy is null ? c.Accounts : c.Accounts.Except(state.ApprovalRequiredFor, StringComparer.Ordinal).ToList();
        if (state.Status is not (OffboardingStatus.Scheduled or OffboardingStatus.AwaitingApproval) || uncovered.Count == 0)
        {
            return Decision.NothingToDo;
        }

        return state.Status == OffboardingStatus.AwaitingApproval && c.Accounts.SequenceEqual(state.ApprovalRequiredFor, StringComparer.Ordinal)
            ? Decision.NothingToDo
            : Decision.Accept(new OffboardingApprovalRequested(state.Id, c.Accounts, now));
    }

    public static Decision Decide(ApproveOffboarding c, Offboarding state, OperatorRole approverRole, Actor approver, DateTimeOffset now)
    {
        if (state.Status != OffboardingStatus.AwaitingApproval)
        {
            return Decision.Refuse(RefusalKind.Conflict, "offboarding.not_awaiting_approval",
                $"The offboarding is {Offboarding.StatusName(state.Status)}; only one awaiting approval can be approved.");
        }

        if (approverRole != OperatorRole.Owner)
        {
            return Decision.Refuse(RefusalKind.Forbidden, "offboarding.approver_not_owner",
                "Only an owner approves the offboarding of a person with owner or security-admin accounts.");
        }

        if (approver.OperatorId is null || approver.OperatorId == state.RequestedBy.OperatorId)
        {
            return Decision.Refuse(RefusalKind.Forbidden, "offboarding.own_approval",
                "The operator who started the offboarding cannot approve it: another owner must.");
        }

        return Decision.Accept(new OffboardingApproved(state.Id, approver, now));
    }

    /// <summary>Why it waits, in words HR reads in the status and the report (null when it does not wait for approval).</summary>
    public static string? Waiting(Offboarding state) =>
        state.Status == OffboardingStatus.AwaitingApproval
            ? $"waiting for approval by another owner than {state.RequestedBy.Name}: the person has privileged accounts ({string.Join(", ", state.ApprovalRequiredFor)})"
            : null;
}
