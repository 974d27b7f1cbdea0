using System.Security.Cryptography;
using Control.Api.Auth;
using Control.Api.Features.Operators;
using Control.Api.Hosting;
using Control.Api.Infrastructure;
using Control.Domain.Contracts;
using Control.Domain.Operators;
using JasperFx.Events;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;
using Wolverine.Http;

namespace Control.Api.Features.TwoFactor;

/// <summary>Generates a TOTP seed, stores it encrypted, and shows it once (as an otpauth:// URI and as a QR code image).</summary>
public static class EnrollTwoFactorEndpoint
{
    [Authorize(Policy = Policies.AnyOperator)]
    [WolverinePost("/me/2fa/enroll")]
    [AuditReason("two-factor enrolment")]
    public static IResult Post(
        [SignedInOperatorStream] IEventStream<Operator> stream, SecretProtector protector, IOptions<ControlOptions> options, TimeProvider clock, HttpContext http)
    {
        var operatorId = http.User.OperatorId();
        var account = stream.Aggregate!;
        var secret = RandomNumberGenerator.GetBytes(TotpRules.SecretBytes);
        var decision = OperatorDecider.Decide(
            new StartTwoFactorEnrollment(protector.Protect(secret, TwoFactorSecrets.Purpose(operatorId))), account, http.User.Actor(), clock.GetUtcNow());
        if (decision.Refusal is { } refusal)
        {
            return Problems.From(refusal).ToResult();
        }
        stream.AppendMany(decision.Events.ToArray());
        var uri = TotpRules.ProvisioningUri(secret, account.QualifiedName, options.Value.Issuer);
        return Results.Ok(new TwoFactorEnrollmentResponse(TotpRules.ToBase32(secret), uri, QrCodePng(uri)));
    }

    /// <summary>The URI as a QR code in a PNG data: URI (rendered here, so the secret never leaves in a URL to fetch).</summary>
    public static string QrCodePng(string text)
    {
        using var generator = new QRCoder.QRCodeGenerator();
        using var data = generator.CreateQrCode(text, QRCoder.QRCodeGenerator.ECCLevel.M);
        using var png = new QRCoder.PngByteQRCode(data);
        return "data:image/png;base64," + Convert.ToBase64String(png.GetGraphic(pixelsPerModule: 6));
    }
}
