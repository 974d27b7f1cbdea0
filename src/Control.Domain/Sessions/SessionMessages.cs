using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace Control.Domain.Sessions;

/// <summary>
/// The control messages of a session between the viewer (<c>control</c>) and the agent, one JSON object per WebSocket
/// text message over the mutually authenticated TLS stream. Bulk data (process output, stdin, file bytes) travels in
/// binary WebSocket messages whose first byte is a <see cref="DataStream"/>. Every message is bounded by
/// <see cref="SessionProtocol.MaxControlMessageBytes"/>; anything else ends the session.
/// </summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "type", UnknownDerivedTypeHandling = JsonUnknownDerivedTypeHandling.FailSerialization)]
[JsonDerivedType(typeof(Hello), "hello")]
[JsonDerivedType(typeof(PasswordRequired), "password-required")]
[JsonDerivedType(typeof(ScramStart), "scram-start")]
[JsonDerivedType(typeof(ScramChallenge), "scram-challenge")]
[JsonDerivedType(typeof(ScramProof), "scram-proof")]
[JsonDerivedType(typeof(ScramOutcome), "scram-outcome")]
[JsonDerivedType(typeof(TotpRequired), "totp-required")]
[JsonDerivedType(typeof(TotpCode), "totp-code")]
[JsonDerivedType(typeof(AwaitingAcceptance), "awaiting-acceptance")]
[JsonDerivedType(typeof(Accepted), "accepted")]
[JsonDerivedType(typeof(Denied), "denied")]
[JsonDerivedType(typeof(ExecRequest), "exec")]
[JsonDerivedType(typeof(ShellRequest), "shell")]
[JsonDerivedType(typeof(WindowResized), "resize")]
[JsonDerivedType(typeof(FilePut), "file-put")]
[JsonDerivedType(typeof(FileGet), "file-get")]
[JsonDerivedType(typeof(FileReady), "file-ready")]
[JsonDerivedType(typeof(FileOffer), "file-offer")]
[JsonDerivedType(typeof(FileEnd), "file-end")]
[JsonDerivedType(typeof(FileDone), "file-done")]
[JsonDerivedType(typeof(ProcessExited), "exited")]
[JsonDerivedType(typeof(ChannelRefused), "channel-refused")]
[JsonDerivedType(typeof(SessionEnded), "ended")]
public abstract record SessionMessage;

/// <summary>Viewer → agent, first message. <paramref name="Justification"/> is stored with the session.</summary>
/// <param name="RememberToken">A token this agent issued earlier with <paramref name="Remember"/>; instead of the password.</param>
/// <param name="Remember">Ask for a remember-token after a successful password login.</param>
/// <param name="Login">The local account to run as (one the client's policy permits); none: the policy's first.</param>
public sealed record Hello(int Protocol, string? Justification, string? RememberToken, bool Remember, string? Device, string? Login = null) : SessionMessage;

/// <summary>Agent → viewer: the unattended password is needed (SCRAM-SHA-256 follows; it never crosses the wire).</summary>
public sealed record PasswordRequired(bool Exclusive) : SessionMessage;

/// <summary>Viewer → agent: RFC 5802 client-first-message.</summary>
public sealed record ScramStart(string ClientFirst) : SessionMessage;

/// <summary>Agent → viewer: RFC 5802 server-first-message (salt, iterations, combined nonce).</summary>
public sealed record ScramChallenge(string ServerFirst) : SessionMessage;

/// <summary>Viewer → agent: RFC 5802 client-final-message (channel binding, nonce, proof).</summary>
public sealed record ScramProof(string ClientFinal) : SessionMessage;

/// <summary>Agent → viewer: RFC 5802 server-final-message; the viewer checks it to know the agent holds the verifier.</summary>
public sealed record ScramOutcome(string ServerFinal) : SessionMessage;

/// <summary>Agent → viewer: a one-time code of the client's TOTP is needed.</summary>
public sealed record TotpRequired : SessionMessage;

public sealed record TotpCode(string Code) : SessionMessage;

/// <summary>Agent → viewer: attended mode; the person at the client must accept within the timeout.</summary>
public sealed record AwaitingAcceptance(string RequestId, int TimeoutSeconds) : SessionMessage;

/// <summary>Agent → viewer: authenticated. <paramref name="Methods"/> as shown in the connection mode line.</summary>
/// <param name="RememberToken">Issued when asked for after a password login; kept by the viewer for this client.</param>
/// <param name="Login">The local account every channel of this session runs as.</param>
public sealed record Accepted(Guid SessionId, string ViewerIdentity, IReadOnlyList<string> Methods, string? RememberToken, SessionPermissions Permissions, string Login)
    : SessionMessage;

public sealed record SessionPermissions(bool Exec, bool Shell, bool FileTransfer);

/// <summary>Agent → viewer. The viewer learns only that it was denied; the audit trail says why.</summary>
public sealed record Denied(string Message) : SessionMessage;

/// <summary>Viewer → agent: run a program (no shell interpretation) and stream its output.</summary>
public sealed record ExecRequest(string Command, IReadOnlyList<string> Arguments) : SessionMessage;

/// <summary>Viewer → agent: an interactive shell on a pseudo-terminal of this size; keystrokes follow as <see cref="DataStream.Stdin"/> data.</summary>
public sealed record ShellRequest(string Term, int Columns, int Rows) : SessionMessage;

/// <summary>Viewer → agent: the viewer's terminal window changed size.</summary>
public sealed record WindowResized(int Columns, int Rows) : SessionMessage;

/// <summary>Viewer → agent: upload <paramref name="Size"/> bytes to <paramref name="Path"/> on the client (replaced atomically when complete and verified).</summary>
public sealed record FilePut(string Path, long Size) : SessionMessage;

/// <summary>Agent → viewer: ready for the upload's bytes (<see cref="DataStream.File"/> data), then <see cref="FileEnd"/>.</summary>
public sealed record FileReady : SessionMessage;

/// <summary>Viewer → agent: download the file at <paramref name="Path"/> on the client.</summary>
public sealed record FileGet(string Path) : SessionMessage;

/// <summary>Agent → viewer: the download's size; its bytes follow as <see cref="DataStream.File"/> data, then <see cref="FileEnd"/>.</summary>
public sealed record FileOffer(long Size) : SessionMessage;

/// <summary>Either way: all bytes are sent; their SHA-256 (lower-case hex) for the receiver to verify.</summary>
public sealed record FileEnd(string Sha256) : SessionMessage;

/// <summary>Agent → viewer: the upload arrived intact (same SHA-256) and is in place.</summary>
public sealed record FileDone(string Sha256) : SessionMessage;

/// <summary>Agent → viewer: the program (exec or shell) ended; a signal shows as 128 + its number.</summary>
public sealed record ProcessExited(int ExitCode) : SessionMessage;

/// <summary>Agent → viewer: the channel is not permitted by the policy or could not be opened (says why).</summary>
public sealed record ChannelRefused(string Message) : SessionMessage;

/// <summary>Agent → viewer: the session is over (for example, the policy no longer admits it).</summary>
public sealed record SessionEnded(string Message) : SessionMessage;

/// <summary>The first byte of a binary WebSocket message: which stream the rest of it belongs to.</summary>
public enum DataStream : byte
{
    Stdin = 0,
    Stdout = 1,
    Stderr = 2,
    File = 3,
}

public static class SessionProtocol
{
    public const int Version = 2;

    /// <summary>The WebSocket sub-protocol both ends require.</summary>
    public const string SubProtocol = "control-session.v1";

    /// <summary>A control message larger than this is an attack or a bug: the session ends.</summary>
    public const int MaxControlMessageBytes = 16 * 1024;

    /// <summary>Largest binary message (one byte of stream tag plus data).</summary>
    public const int MaxDataMessageBytes = 256 * 1024;

    /// <summary>How long each authentication step may take before the agent hangs up.</summary>
    public static readonly TimeSpan StepTimeout = TimeSpan.FromSeconds(60);

    /// <summary>Web defaults, metadata from source generation only: the viewer is compiled ahead of time (NativeAOT).</summary>
    public static JsonSerializerOptions Json { get; } = new(JsonSerializerDefaults.Web) { TypeInfoResolver = SessionJsonContext.Default };

    private static readonly JsonTypeInfo<SessionMessage> MessageInfo = (JsonTypeInfo<SessionMessage>)Json.GetTypeInfo(typeof(SessionMessage));

    public static byte[] Serialize(SessionMessage message) => JsonSerializer.SerializeToUtf8Bytes(message, MessageInfo);

    /// <summary>The message, or null when the bytes are not a well-formed control message (the caller ends the session).</summary>
    public static SessionMessage? Deserialize(ReadOnlySpan<byte> utf8)
    {
        try
        {
            return JsonSerializer.Deserialize(utf8, MessageInfo);
        }
        catch (JsonException)
        {
            return null;
        }
        catch (NotSupportedException)
        {
            return null;
        }
    }
}

/// <summary>Serialization metadata for the session messages, generated at compile time (no reflection at run time).</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(SessionMessage))]
internal sealed partial class SessionJsonContext : JsonSerializerContext;
