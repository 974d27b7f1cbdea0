using System.CommandLine;
using Control.Agent.Audit;
using Control.Agent.Policies;
using Control.Agent.Server;
using Control.Agent.Sessions;
using Control.Agent.Storage;
using Control.Domain.Common;

namespace Control.Agent.Commands;

/// <summary><c>control-agent run</c>: the daemon. Stops cleanly (exit 0) on SIGINT/SIGTERM.</summary>
internal static class RunCommand
{
    public static Command Create()
    {
        var stateDirectory = AgentOptions.StateDirectory();
        var listen = new Option<string?>("--listen")
        {
            Description = "Accept viewer sessions (mutual TLS) on ADDRESS:PORT, e.g. 0.0.0.0:7441 or 127.0.0.1:0 (a free port). Without it, no sessions are accepted.",
            HelpName = "ADDRESS:PORT",
        };
        var advertise = new Option<string?>("--advertise")
        {
            Description = "The HOST[:PORT] viewers should dial, published in the directory (default: the listening address, or this machine's name).",
            HelpName = "HOST[:PORT]",
        };
        var attendedBy = new Option<string[]>("--attended-by")
        {
            Description = "A local account that may list, accept and deny attended session requests (control-agent pending/accept/deny); repeat it for several. Root may always.",
            HelpName = "ACCOUNT",
            AllowMultipleArgumentsPerToken = false,
        };
        var command = new Command("run", "Follow this client's signed policy (fetch each new version as soon as it exists, verify, cache, acknowledge) and accept the sessions it permits.")
        {
            stateDirectory,
            listen,
            advertise,
            attendedBy,
        };
        command.SetAction(async (parse, cancellation) =>
        {
            var state = StateDirectory.Resolve(parse.GetValue(stateDirectory));
            var listenText = parse.GetValue(listen);
            System.Net.IPEndPoint? listenAt = null;
            if (listenText is not null && !SessionEndpoint.TryParseListen(listenText, out listenAt))
            {
                throw AgentFailure.Usage($"--listen '{listenText}' is not ADDRESS:PORT (for example 0.0.0.0:7441, 127.0.0.1:0 or [::]:7441)");
            }

            if (state.Untrusted() is { } untrusted)
            {
                throw AgentFailure.Error($"refusing to start: {untrusted}; the state in {state.Path} must be the agent's alone (chown it to the agent's account and chmod go-w it, or enroll again)");
            }

            var trusted = new Dictionary<uint, string>();
            foreach (var name in parse.GetValue(attendedBy) ?? [])
            {
                var account = Platform.LocalAccount.Find(name) ?? throw AgentFailure.Usage($"--attended-by {name}: there is no such account on this machine");
                trusted[account.UserId] = account.Name;
            }

            var enrolment = Enrolment.Load(state) ?? throw AgentFailure.NotEnrolled(state);
            using var held = state.TryLock() ?? throw AgentFailure.Error($"another control-agent is already running with {state.Path}");

            // Sessions inherit the file-creation mask: the one a login on this machine gets (the agent's own files are
            // created with explicit owner-only modes, which this mask does not widen).
            Platform.FileOwnership.SetCreationMask(Platform.LoginDefaults.CreationMask());
            using var key = AgentKey.Load(state, enrolment);
            foreach (var secret in new[] { state.KeyFile, state.EnrolmentFile })
            {
                if (PrivateFile.IsExposed(secret))
                {
                    Console.Error.WriteLine($"warning: {secret} is readable by other users; its secret may have leaked (chmod 600 it, and consider enrolling again)");
                }
            }

            using var api = new AgentApi(enrolment.ServerUri, enrolment.Credential);
            var status = new StatusReporter(state, enrolment.Server, Console.Out, Console.Error, TimeProvider.System);
            var inForce = new PolicyInForce();
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellation);

            // Session facts and recordings: durable on disk first (Record returns after the fsync), sent in the background.
            var errorOutput = TextWriter.Synchronized(Console.Error);
            using var auditQueue = SessionEventQueue.In(state, line => errorOutput.WriteLine(UntrustedText.Inert(line)));

            // Sessions a previous run admitted and never closed ended with it (the state lock above says it is gone).
            auditQueue.CloseInterruptedSessions(DateTimeOffset.UtcNow);
            ISessionAudit audit = auditQueue;
            var auditSender = new SessionAuditSender(auditQueue, api, errorOutput).RunAsync(stop.Token);
            Task sessions = Task.CompletedTask;
            SessionListener? listener = null;
            if (listenAt is not null)
            {
                var output = TextWriter.Synchronized(Console.Out);

                // Session log lines carry what viewers chose (commands, paths, aliases, reasons): each message stays one
                // line with nothing a terminal acts on, so that no viewer can forge a line of the agent's log.
                void Log(string line) => output.WriteLine(UntrustedText.Inert(line));
                var services = new SessionServices(
                    enrolment.ClientId, inForce, new RememberTokens(state), new TotpCheck(state, key, TimeProvider.System), new FailureLimiter(TimeProvider.System),
                    TimeProvider.System, Log, state.RecordingsDirectory, new AttendedRequests(TimeProvider.System), audit);
                listener = new SessionListener(listenAt, AgentCertificate.Create(key, enrolment, DateTimeOffset.UtcNow), services);
                try
                {
                    listener.Start();
                }
                catch (System.Net.Sockets.SocketException e)
                {
                    listener.Dispose();
                    throw AgentFailure.Error($"cannot listen on {listenText}: {e.Message}");
                }

                var endpoint = SessionEndpoint.Advertised(parse.GetValue(advertise), listener.LocalEndpoint);
                output.WriteLine($"sessions: listening on {listener.LocalEndpoint} (mutual TLS, TLS 1.2/1.3 AEAD only)");
                sessions = Task.WhenAll(
                    listener.RunAsync(stop.Token),
                    SessionEndpoint.RegisterAsync(api, endpoint, output, Console.Error, stop.Token),
                    LocalControl.ServeAsync(state.ControlSocket, services.Attended, trusted, Log, stop.Token));
            }

            try
            {
                return await new PolicyFollower(enrolment, key, state, api, status, Console.Out, Console.Error, inForce).RunAsync(stop.Token);
            }
            finally
            {
                await stop.CancelAsync();
                await sessions;
                await auditSender;
                listener?.Dispose();
            }
        });
        return command;
    }
}
