using Control.Domain.Clients;
using Control.Domain.Operators;
using Control.Domain.Organizations;
using FluentValidation;

namespace Control.Api.Infrastructure;

public static class ValidationRules
{
    public const int MaxReasonLength = 500;

    public static IRuleBuilderOptions<T, string?> Username<T>(this IRuleBuilder<T, string?> rule) =>
        rule.NotEmpty().WithMessage("A username is required.")
            .Matches("^[a-z0-9][a-z0-9._-]{1,31}$")
            .WithMessage("A username is 2-32 characters: lowercase letters, digits, '.', '_' or '-', starting with a letter or digit.");

    public static IRuleBuilderOptions<T, string?> OrganizationSlug<T>(this IRuleBuilder<T, string?> rule) =>
        rule.NotEmpty().WithMessage("An organization (namespace) is required.")
            .Must(OrganizationRules.IsValidSlug)
            .WithMessage("A namespace is 3-32 characters: lowercase letters, digits and inner hyphens.");

    public static IRuleBuilderOptions<T, string?> Password<T>(this IRuleBuilder<T, string?> rule) =>
        rule.NotEmpty().WithMessage("A password is required.")
            .MaximumLength(PasswordPolicy.MaximumLength * 2).WithMessage("The password is too long.");

    /// <summary>The password policy (length, common passwords, the account's own names), after <see cref="Password{T}"/>.</summary>
    public static IRuleBuilderOptionsConditions<T, string?> StrongPassword<T>(
        this IRuleBuilder<T, string?> rule, Passwords passwords, Func<T, string?[]> contextWords) =>
        rule.Custom((password, context) =>
        {
            if (passwords.Check(password, contextWords(context.InstanceToValidate)) is { } weak)
            {
                context.AddFailure(weak);
            }
        });

    public static IRuleBuilderOptions<T, long?> ExpectedVersion<T>(this IRuleBuilder<T, long?> rule) =>
        rule.GreaterThan(0).WithMessage("The expected version is the positive version number you read.");

    /// <summary>An alias, a 9-digit client number, a wildcard, or <c>*</c> (the parser's message says what is wrong).</summary>
    public static IRuleBuilderOptionsConditions<T, string?> AclEntry<T>(this IRuleBuilder<T, string?> rule) =>
        rule.Custom((entry, context) =>
        {
            if (!Domain.Access.AclEntry.TryParse(entry, out _, out var error))
            {
                context.AddFailure(error);
            }
        });

    public static IRuleBuilderOptions<T, IReadOnlyList<string>?> ClientTags<T>(this IRuleBuilder<T, IReadOnlyList<string>?> rule) =>
        rule.Must(tags => tags is not null && tags.All(t => ClientDecider.TagPattern().IsMatch(t.Trim().ToLowerInvariant())))
            .WithMessage("Tags are 1-40 lowercase letters, digits, '.', '_' or '-'.");

    /// <summary>Every security change says why; the reason is part of the audit trail.</summary>
    public static IRuleBuilderOptions<T, string?> Reason<T>(this IRuleBuilder<T, string?> rule) =>
        rule.NotEmpty().WithMessage(ReasonRequired)
            .MaximumLength(MaxReasonLength).WithMessage($"A reason is at most {MaxReasonLength} characters.");

    /// <summary>As <see cref="Reason{T}"/>, with one message for a missing and a too long reason (the endpoint's own wording).</summary>
    public static IRuleBuilderOptions<T, string?> Reason<T>(this IRuleBuilder<T, string?> rule, string message) =>
        rule.Must(reason => !string.IsNullOrWhiteSpace(reason) && reason.Length <= MaxReasonLength).WithMessage(message);

    public const string ReasonRequired = "A reason is required for every security change.";

    public static IRuleBuilderOptions<T, string?> Role<T>(this IRuleBuilder<T, string?> rule) =>
        rule.NotEmpty().WithMessage("A role is required.")
            .Must(r => OperatorRoles.TryParse(r, out _))
            .WithMessage($"The role must be one of: {string.Join(", ", OperatorRoles.All)}.");

    public static IRuleBuilderOptions<T, string?> TotpCode<T>(this IRuleBuilder<T, string?> rule) =>
        rule.NotEmpty().WithMessage("A code from the authenticator app is required.")
            .Matches("^[0-9]{6}$").WithMessage("The code is the 6 digits shown by the authenticator app.");
}
