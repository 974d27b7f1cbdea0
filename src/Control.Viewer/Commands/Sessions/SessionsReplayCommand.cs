using System.CommandLine;
using System.Text;
using System.Text.Json;
using Control.Viewer.Infrastructure;

namespace Control.Viewer.Commands.Sessions;

/// <summary><c>control sessions replay ID</c>: plays a recorded shell session (asciicast v2) with its timing.</summary>
internal static class SessionsReplayCommand
{
    public static Command Create(CliContext context, GlobalOptions globals)
    {
        var id = SessionsCommands.SessionId();
        var speed = new Option<double>("--speed")
        {
            Description = "Playback speed: 2 is twice as fast; 0 prints everything at once",
            HelpName = "N",
            DefaultValueFactory = _ => 1,
            Validators = { r => { if (r.GetValueOrDefault<double>() < 0) { r.AddError("--speed: 0 or more (0 prints without pauses)."); } } },
        };
        var raw = new Option<bool>("--raw") { Description = "Write the asciicast v2 file to stdout instead (for asciinema play, or to keep it)" };
        var command = new Command("replay", "Replay a recorded shell session in this terminal (auditor, security-admin, owner)") { id, speed, raw };
        command.SetAction(async (parse, cancellation) =>
        {
            using var api = SignedInApi.Open(context, parse.GetValue(globals.Server));
            var cast = await api.GetAsync<byte[]>($"sessions/{parse.GetValue(id)}/recording", cancellation);
            if (parse.GetValue(raw))
            {
                await using var stdout = context.OpenStandardOutput();
                await stdout.WriteAsync(cast, cancellation);
                await stdout.FlushAsync(cancellation);
                return Cli.Success;
            }

            await PlayAsync(cast, context.Out, parse.GetValue(speed), cancellation);
            return Cli.Success;
        });
        return command;
    }

    /// <summary>Writes each output event after the pause the recording had before it (divided by <paramref name="speed"/>; 0: no pauses; a pause is at most 5 s, like asciinema's idle limit).</summary>
    public static async Task PlayAsync(byte[] cast, TextWriter output, double speed, CancellationToken cancellation)
    {
        using var reader = new StringReader(Encoding.UTF8.GetString(cast));
        var header = await reader.ReadLineAsync(cancellation);
        if (header is null || !IsVersion2(header))
        {
            throw CliException.Failure("the recording is not an asciicast v2 file; save it with --raw and inspect it");
        }

        var previous = 0.0;
        while (await reader.ReadLineAsync(cancellation) is { } line)
        {
            if (!TryParse(line, out var seconds, out var kind, out var data) || kind != "o")
            {
                // Resize ("r") and input events have nothing to print; a damaged line is skipped rather than ending the replay.
                continue;
            }

            if (speed > 0 && seconds > previous)
            {
                await Task.Delay(TimeSpan.FromSeconds(Math.Min((seconds - previous) / speed, 5)), cancellation);
            }

            previous = Math.Max(previous, seconds);
            await output.WriteAsync(data);
            await output.FlushAsync(cancellation);
        }
    }

    private static bool IsVersion2(string header)
    {
        try
        {
            using var document = JsonDocument.Parse(header);
            return document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("version", out var version) && version.ValueKind == JsonValueKind.Number && version.GetInt32() == 2;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static bool TryParse(string line, out double seconds, out string kind, out string data)
    {
        (seconds, kind, data) = (0, "", "");
        try
        {
            using var document = JsonDocument.Parse(line);
            var e = document.RootElement;
            if (e.ValueKind != JsonValueKind.Array || e.GetArrayLength() < 3 || e[0].ValueKind != JsonValueKind.Number
                || e[1].ValueKind != JsonValueKind.String || e[2].ValueKind != JsonValueKind.String)
            {
                return false;
            }

            (seconds, kind, data) = (e[0].GetDouble(), e[1].GetString()!, e[2].GetString()!);
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
