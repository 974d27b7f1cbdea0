using System.CommandLine;
using Control.Domain.Contracts;
using Control.Viewer.Commands.Clients;
using Control.Viewer.Infrastructure;

namespace Control.Viewer.Commands.ClientTwoFactor;

/// <summary>
/// <c>control client-2fa enroll CLIENT</c>: a new TOTP secret for the client, shown once as a QR code and as text;
/// it takes effect only after <c>confirm</c>.
/// </summary>
internal static class EnrollCommand
{
    public static Command Create(CliContext context, GlobalOptions globals)
    {
        var client = ClientTarget.Argument();
        var reason = GlobalOptions.Reason("add a second factor");
        var noQr = new Option<bool>("--no-qr") { Description = "Do not draw the QR code (print only the URI and the secret)" };
        var json = GlobalOptions.Json();
        var command = new Command(
            "enroll", "Start 2FA for unattended access to a client: shows a QR code and secret, once, for the authenticator app of whoever connects")
        {
            client, reason, noQr, json,
        };
        command.SetAction(async (parse, cancellation) =>
        {
            using var api = SignedInApi.Open(context, parse.GetValue(globals.Server));
            var given = parse.GetValue(client)!;
            var enrollment = await ClientTarget.SendAsync<ClientTwoFactorEnrollmentResponse>(
                api, HttpMethod.Post, given, "/2fa/enroll", new ReasonRequest(parse.GetValue(reason)), cancellation, Fields);
            if (parse.GetValue(json))
            {
                Output.WriteJson(context.Out, enrollment);
                return Cli.Success;
            }

            await context.Out.WriteLineAsync(
                $"Add {given.Trim()} to the authenticator app of whoever connects unattended: scan the QR code, or enter the secret by hand. It is shown only now.");
            if (!parse.GetValue(noQr))
            {
                await context.Out.WriteLineAsync();
                await context.Out.WriteLineAsync(TwoFactor.EnrollCommand.QrCode(enrollment.OtpAuthUri));
            }

            await context.Out.WriteLineAsync();
            await context.Out.WriteLineAsync($"URI:    {enrollment.OtpAuthUri}");
            await context.Out.WriteLineAsync($"Secret: {enrollment.Secret}");
            await context.Out.WriteLineAsync();
            await context.Out.WriteLineAsync("Then turn it on with the code the app shows:");
            await context.Out.WriteLineAsync($"    control client-2fa confirm {given.Trim()} CODE --reason TEXT");
            return Cli.Success;
        });
        return command;
    }

    internal static readonly IReadOnlyDictionary<string, string> Fields = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["reason"] = "--reason",
        ["code"] = "CODE",
    };
}
