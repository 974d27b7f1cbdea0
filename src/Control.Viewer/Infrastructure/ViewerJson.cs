using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Control.Domain.Contracts;
using Control.Viewer.Commands.Acl;
using Control.Viewer.Sessions;

namespace Control.Viewer.Infrastructure;

/// <summary>
/// Every type the viewer reads or writes as JSON, with serialization code generated at compile time: the CLI is
/// published NativeAOT (no JIT, no reflection-emitted serializers), which is what makes a <c>control exec</c> start in
/// milliseconds. A type missing here fails loudly (NotSupportedException) in tests, never silently in the field.
/// </summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
// Requests.
[JsonSerializable(typeof(SetupRequest))]
[JsonSerializable(typeof(LoginRequest))]
[JsonSerializable(typeof(RefreshRequest))]
[JsonSerializable(typeof(LogoutRequest))]
[JsonSerializable(typeof(ActivateRequest))]
[JsonSerializable(typeof(ChangePasswordRequest))]
[JsonSerializable(typeof(TwoFactorCodeRequest))]
[JsonSerializable(typeof(InviteOperatorRequest))]
[JsonSerializable(typeof(OperatorActionRequest))]
[JsonSerializable(typeof(ClientChangeRequest))]
[JsonSerializable(typeof(ReasonRequest))]
[JsonSerializable(typeof(ViewerCertificateRequest))]
[JsonSerializable(typeof(KillSessionRequest))]
[JsonSerializable(typeof(RevokeRememberTokenRequest))]
[JsonSerializable(typeof(ChangeSessionSettingsRequest))]
[JsonSerializable(typeof(AddPersonRequest))]
[JsonSerializable(typeof(LinkPersonRequest))]
[JsonSerializable(typeof(RecordKnowledgeRequest))]
[JsonSerializable(typeof(StartOffboardingRequest))]
[JsonSerializable(typeof(WhatIfRequest))]
// Responses and what --json prints.
[JsonSerializable(typeof(SetupResponse))]
[JsonSerializable(typeof(TokenResponse))]
[JsonSerializable(typeof(WhoAmIResponse))]
[JsonSerializable(typeof(TwoFactorEnrollmentResponse))]
[JsonSerializable(typeof(RecoveryCodesResponse))]
[JsonSerializable(typeof(List<OperatorSummary>))]
[JsonSerializable(typeof(InviteOperatorResponse))]
[JsonSerializable(typeof(OperatorActionResponse))]
[JsonSerializable(typeof(PasswordResetResponse))]
[JsonSerializable(typeof(List<ClientSummary>))]
[JsonSerializable(typeof(ClientDetail))]
[JsonSerializable(typeof(ClientChangeResponse))]
[JsonSerializable(typeof(BulkChangeResponse))]
[JsonSerializable(typeof(ClientTwoFactorEnrollmentResponse))]
[JsonSerializable(typeof(LicenseKeyResponse))]
[JsonSerializable(typeof(AuditEventPage))]
[JsonSerializable(typeof(List<AuditEventView>))]
[JsonSerializable(typeof(AuditChainVerification))]
[JsonSerializable(typeof(AuditAnchor))]
[JsonSerializable(typeof(ViewerCertificateResponse))]
[JsonSerializable(typeof(DirectoryEntry))]
[JsonSerializable(typeof(KillSessionResponse))]
[JsonSerializable(typeof(List<RememberTokenView>))]
[JsonSerializable(typeof(SessionSettingsView))]
[JsonSerializable(typeof(SessionSettingsChangeResponse))]
[JsonSerializable(typeof(List<SessionSummaryView>))]
[JsonSerializable(typeof(SessionSummaryView))]
[JsonSerializable(typeof(SessionHistoryPage))]
[JsonSerializable(typeof(List<SessionHistoryRow>))]
[JsonSerializable(typeof(ListCommand.AclView))]
[JsonSerializable(typeof(OrganizationAclView))]
[JsonSerializable(typeof(PersonResponse))]
[JsonSerializable(typeof(List<PersonResponse>))]
[JsonSerializable(typeof(ExposureResponse))]
[JsonSerializable(typeof(WhoCanReachResponse))]
[JsonSerializable(typeof(ReachableByResponse))]
[JsonSerializable(typeof(AclHistoryResponse))]
[JsonSerializable(typeof(WhatIfResponse))]
[JsonSerializable(typeof(OffboardingResponse))]
[JsonSerializable(typeof(List<OffboardingResponse>))]
[JsonSerializable(typeof(OffboardingReport))]
[JsonSerializable(typeof(Commands.Offboarding.RevealCommands.Revealed))]
// Files in the configuration folder.
[JsonSerializable(typeof(Credentials))]
[JsonSerializable(typeof(Dictionary<string, string>))]
[JsonSerializable(typeof(Dictionary<string, KnownClient>))]
internal sealed partial class ViewerJsonContext : JsonSerializerContext;

internal static class ViewerJson
{
    /// <summary>The metadata of <typeparamref name="T"/> under <paramref name="options"/> (which must resolve through <see cref="ViewerJsonContext"/>).</summary>
    public static JsonTypeInfo<T> Info<T>(JsonSerializerOptions options) => (JsonTypeInfo<T>)options.GetTypeInfo(typeof(T));
}
