using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Control.Viewer.Infrastructure;
using Control.Viewer.Sessions;

namespace Control.Viewer.Commands.Sessions;

/// <summary>
/// <c>control cp SOURCE DESTINATION</c>, one side <c>CLIENT:PATH</c> like scp: the file crosses the session's TLS and is
/// verified by SHA-256 at the receiving end; an upload replaces the remote file only when complete and intact, a
/// download is written to a temporary file that replaces the local one only then.
/// </summary>
internal static class CopyCommand
{
    public static Command Create(CliContext context, GlobalOptions globals)
    {
        var options = new SessionOptions();
        var source = new Argument<string>("SOURCE") { Description = "A local file, or CLIENT:PATH on a client" };
        var destination = new Argument<string>("DESTINATION") { Description = "A local path, or CLIENT:PATH on a client (relative paths start in the agent user's home)" };
        var quiet = new Option<bool>("--quiet", "-q") { Description = "No connection mode and no progress bar" };
        var command = new Command("cp", "Copy a file to or from a client over an encrypted session, verified by SHA-256 (CLIENT:PATH names the remote side)")
        {
            source, destination, quiet,
        };
        command.Options.Add(options.Remember);
        command.Options.Add(options.Reason);
        command.Options.Add(options.Login);

        command.SetAction(async (parse, cancellation) =>
        {
            var (from, to) = (parse.GetValue(source)!, parse.GetValue(destination)!);
            var (fromClient, fromPath) = Split(from);
            var (toClient, toPath) = Split(to);
            if ((fromClient is null) == (toClient is null))
            {
                throw CliException.Usage("exactly one of SOURCE and DESTINATION must be CLIENT:PATH (the other a local path)", "control cp");
            }

            var upload = toClient is not null;
            var local = Path.GetFullPath(upload ? fromPath : toPath);
            FileStream? input = null;
            if (upload)
            {
                try
                {
                    input = new FileStream(local, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 0);
                }
                catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
                {
                    throw CliException.Failure($"no local file {local}");
                }
                catch (UnauthorizedAccessException)
                {
                    throw CliException.Failure($"cannot read {local}: permission denied");
                }
            }
            else if (Directory.Exists(local))
            {
                local = Path.Combine(local, Path.GetFileName(fromPath.TrimEnd('/')));
            }

            var localFolder = Path.GetDirectoryName(local)!;
            if (!upload && !Directory.Exists(localFolder))
            {
                throw CliException.Failure($"the local folder {localFolder} does not exist");
            }

            await using var _ = input;
            var target = upload ? toClient! : fromClient!;
            var show = !parse.GetValue(quiet);
            await using var session = await options.OpenAsync(context, globals, parse, cancellation, target);
            if (show)
            {
                foreach (var line in session.ConnectionMode())
                {
                    await context.Error.WriteLineAsync(line);
                }
            }

            var bar = new ProgressBar(context, show);
            var watch = Stopwatch.StartNew();
            long size;
            string sha256;
            if (upload)
            {
                size = input!.Length;
                sha256 = await session.UploadAsync(input, size, toPath, new UploadProgress(bytes => bar.Show(bytes, size)), cancellation);
            }
            else
            {
                var temporary = Path.Combine(localFolder, $".{Path.GetFileName(local)}.control-download-{Guid.NewGuid():N}");
                try
                {
                    await using (var output = new WriteBehindFile(new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 0)))
                    {
                        (size, sha256) = await session.DownloadAsync(fromPath, output, new DownloadProgress(p => bar.Show(p.Received, p.Total)), cancellation);
                        await output.FlushToDiskAsync();
                    }

                    File.Move(temporary, local, overwrite: true);
                }
                catch (IOException e) when (e.HResult is 28 or 122)
                {
                    throw CliException.Failure($"no space left on the local disk for {local}; nothing was written");
                }
                finally
                {
                    File.Delete(temporary);
                }
            }

            bar.Done();
            await session.CloseAsync(cancellation);
            var seconds = Math.Max(watch.Elapsed.TotalSeconds, 0.001);
            await context.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"{(upload ? "Uploaded" : "Downloaded")} {local} {(upload ? "to" : "from")} {target}:{(upload ? toPath : fromPath)}: {size} bytes in {seconds:F1} s ({size / seconds / (1 << 20):F1} MiB/s), SHA-256 {sha256} verified"));
            return Cli.Success;
        });
        return command;
    }

    /// <summary>"kiosk1:/tmp/x" → (kiosk1, /tmp/x); "./a:b" and "/x" are local. A local name with a colon: write ./name.</summary>
    private static (string? Client, string Path) Split(string text)
    {
        var colon = text.IndexOf(':', StringComparison.Ordinal);
        return colon > 0 && !text[..colon].Contains('/', StringComparison.Ordinal) ? (text[..colon], text[(colon + 1)..]) : (null, text);
    }

    private sealed class UploadProgress(Action<long> report) : IProgress<long>
    {
        public void Report(long value) => report(value);
    }

    private sealed class DownloadProgress(Action<(long Received, long Total)> report) : IProgress<(long Received, long Total)>
    {
        public void Report((long Received, long Total) value) => report(value);
    }

    /// <summary>A one-line progress bar on standard error, redrawn at most ten times a second; only at a terminal.</summary>
    private sealed class ProgressBar(CliContext context, bool enabled)
    {
        private readonly Stopwatch _watch = Stopwatch.StartNew();
        private long _lastDrawn = -1;
        private bool _drawn;

        public void Show(long done, long total)
        {
            if (!enabled || !context.InputIsTerminal || Console.IsErrorRedirected)
            {
                return;
            }

            var now = _watch.ElapsedMilliseconds;
            if (done < total && now - _lastDrawn < 100)
            {
                return;
            }

            _lastDrawn = now;
            var fraction = total == 0 ? 1 : (double)done / total;
            var filled = (int)(fraction * 30);
            var rate = done / Math.Max(_watch.Elapsed.TotalSeconds, 0.001) / (1 << 20);
            context.Error.Write(string.Create(CultureInfo.InvariantCulture,
                $"\r[{new string('#', filled)}{new string('.', 30 - filled)}] {fraction * 100,5:F1}% {done / (double)(1 << 20),8:F1} of {total / (double)(1 << 20):F1} MiB {rate,7:F1} MiB/s"));
            _drawn = true;
        }

        public void Done()
        {
            if (_drawn)
            {
                context.Error.WriteLine();
            }
        }
    }
}
