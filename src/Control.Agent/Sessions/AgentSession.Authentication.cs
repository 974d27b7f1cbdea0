using System.Net.WebSockets;
using Control.Domain.Security;
using Control.Domain.Sessions;
using Control.Sessions;

namespace Control.Agent.Sessions;

/// <summary>Authentication in the policy's order: ACL, unattended password (SCRAM) or remember-token, TOTP.</summary>
internal sealed partial class AgentSession
{
    /// <summary>The methods that authenticated the viewer, or null when it was denied (and told so).</summary>
    private async Task<List<string>?> AuthenticateAsync(CancellationToken cancellation)
    {
        var hello = await ReceiveAsync<Hello>(cancellation);
        var (protocol, suite) = (SessionTransport.ProtocolName(transport.SslProtocol), transport.NegotiatedCipherSuite.ToString());
        Audit(new SessionRequested(Id, services.ClientId, viewerAlias, certificateSerial, source, protocol, suite, Trim(hello.Justification, 500), services.Clock.GetUtcNow()));
        if (hello.Protocol != SessionProtocol.Version)
        {
            return await DenyAsync($"protocol version {hello.Protocol} is not {SessionProtocol.Version}");
        }

        var policy = services.Policy.Current;
        var keys = new[] { "viewer:" + viewerAlias, "source:" + source };
        if (services.Failures.LockedUntil(keys) is { } until)
        {
            return await DenyAsync($"locked out after repeated failures until {until:u}");
        }

        if (SessionAdmission.Admit(policy, viewerAlias) is { } refusal)
        {
            return await DenyAsync(refusal);
        }

        // Checked after the ACL, so only a viewer the client would admit learns that a justification is required.
        if (SessionAdmission.LacksJustification(policy!, hello.Justification))
        {
            return await DenyAsync(SessionAdmission.JustificationRequired, tellViewer: true);
        }

        // The login is the policy's to permit; told to a viewer the ACL admits, so that it can pick another (--login).
        var login = SessionLogins.Choose(policy!.Permissions.Logins, hello.Login);
        if (SessionLogins.Refuse(policy.Permissions.Logins, login) is { } loginRefusal)
        {
            return await DenyAsync(loginRefusal, tellViewer: true);
        }

        var methods = new List<string> { $"certificate {certificateSerial}" };
        if (policy.Acl.Enabled)
        {
            methods.Add("access control list");
        }

        long? tokenEpoch = null;
        string? issuedToken = null;
        var unattended = policy.Unattended;
        AdmissionMethod admittedBy;
        string? passwordStoredKey = null;
        string? rememberTokenId = null;
        if (!unattended.Enabled || unattended.Verifier is null)
        {
            // Attended mode: the person at the machine decides (control-agent pending / accept / deny).
            var (request, decision) = services.Attended.Ask(viewerAlias, source, Trim(hello.Justification, 500), cancellation);
            services.Log($"session {Id}: {viewerAlias} from {source} waits for acceptance at the client: request {request.Id} (control-agent accept {request.Id})");
            await SendAsync(new AwaitingAcceptance(request.Id, (int)services.Attended.Timeout.TotalSeconds), cancellation);
            if (!await decision)
            {
                return await DenyAsync($"not accepted at the client (request {request.Id} denied or timed out)");
            }

            methods.Add($"accepted at the client (request {request.Id})");
            admittedBy = AdmissionMethod.Attended;
        }
        else if (hello.RememberToken is { } presented && !unattended.Exclusive
            && services.RememberTokens.Find(presented, viewerAlias, policy.TokenEpoch, policy.RevokedTokenIds) is { } token)
        {
            methods.Add($"remember-token {token.Id}");
            tokenEpoch = policy.TokenEpoch;
            rememberTokenId = token.Id;
            admittedBy = AdmissionMethod.RememberToken;
        }
        else
        {
            if (hello.RememberToken is not null)
            {
                services.Log($"session {Id}: {viewerAlias} presented a remember-token that is {(unattended.Exclusive ? "not accepted in exclusive mode" : "unknown, cleared, revoked or not theirs")}; asking for the password");
            }

            await SendAsync(new PasswordRequired(unattended.Exclusive), cancellation);
            var start = await ReceiveAsync<ScramStart>(cancellation);
            var v = unattended.Verifier;
            var scram = new ScramServer(new ScramVerifier(v.Salt, v.Iterations, v.StoredKey, v.ServerKey));
            var challenge = scram.Challenge(start.ClientFirst) ?? throw new SessionProtocolViolation("malformed SCRAM client-first-message");
            await SendAsync(new ScramChallenge(challenge), cancellation);
            var proof = await ReceiveAsync<ScramProof>(cancellation);
            if (scram.Verify(proof.ClientFinal) is not { } serverFinal)
            {
                services.Failures.Failed(keys);
                return await DenyAsync("wrong unattended password");
            }

            await SendAsync(new ScramOutcome(serverFinal), cancellation);
            methods.Add("unattended password (SCRAM-SHA-256)");
            admittedBy = AdmissionMethod.UnattendedPassword;
            passwordStoredKey = v.StoredKey;
            if (hello.Remember && !unattended.Exclusive)
            {
                var device = Trim(hello.Device, 100);
                (issuedToken, var tokenId) = services.RememberTokens.Issue(viewerAlias, device, policy.TokenEpoch, services.Clock.GetUtcNow());
                Audit(new RememberTokenIssued(Id, services.ClientId, viewerAlias, tokenId, device, policy.TokenEpoch, services.Clock.GetUtcNow()));
            }
        }

        // Two-factor authentication guards unattended access; someone at the machine accepting is its own second factor.
        var secondFactor = false;
        if (policy.TwoFactor.Enabled && admittedBy != AdmissionMethod.Attended)
        {
            await SendAsync(new TotpRequired(), cancellation);
            var code = await ReceiveAsync<TotpCode>(cancellation);
            if (!services.Totp.Accept(services.Policy.Current ?? policy, code.Code))
            {
                services.Failures.Failed(keys);
                return await DenyAsync("wrong, expired or already used TOTP code");
            }

            methods.Add("TOTP");
            secondFactor = true;
        }

        // The policy may have changed while the viewer was typing: admit only under the one in force now.
        var now = services.Policy.Current;
        var grant = new SessionGrant(Id, viewerAlias, certificateSerial, tokenEpoch, rememberTokenId, admittedBy, passwordStoredKey, secondFactor, login!);
        var changed = now is null ? "this client has no policy" : SessionAdmission.Recheck(now, grant, []);
        if (changed is not null)
        {
            return await DenyAsync(changed);
        }

        // Checked last, so that only an authenticated viewer learns which accounts this machine has.
        var (account, accountRefusal) = SessionAccounts.Resolve(login!);
        if (accountRefusal is not null)
        {
            return await DenyAsync(accountRefusal, tellViewer: true);
        }

        _account = account;
        _grant = grant;

        services.Failures.Succeeded(keys);
        Audit(new SessionAuthenticated(Id, services.ClientId, viewerAlias, methods, rememberTokenId, services.Clock.GetUtcNow(), login));
        var p = now!.Permissions;
        await SendAsync(new Accepted(Id, viewerAlias, methods, issuedToken, new SessionPermissions(p.Exec, p.Shell, p.FileTransfer), login!), cancellation);
        return methods;
    }

    /// <param name="tellViewer">Only for reasons that reveal nothing about the client's secrets or settings beyond what the viewer must do.</param>
    private async Task<List<string>?> DenyAsync(string reason, bool tellViewer = false)
    {
        Audit(new SessionDenied(Id, services.ClientId, viewerAlias, source, reason, services.Clock.GetUtcNow()));
        services.Log($"session {Id}: {viewerAlias} from {source} denied: {reason}");
        await TrySendAsync(new Denied(tellViewer ? reason : "denied"));
        await CloseAsync(WebSocketCloseStatus.PolicyViolation, "denied");
        return null;
    }


    private static string? Trim(string? text, int max) => text is null ? null : text.Length <= max ? text : text[..max];
}
