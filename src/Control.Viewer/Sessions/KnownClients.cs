using System.Text.Json;
using Control.Domain.Contracts;
using Control.Viewer.Infrastructure;

namespace Control.Viewer.Sessions;

/// <summary>
/// The directory entries this viewer looked up before (<c>known-clients.json</c>, 0600), like OpenSSH's known_hosts:
/// when the API cannot be reached, a session can still be opened to a client seen before, pinned to the key
/// fingerprint the directory gave then. The agent still enforces its cached policy, so nothing is loosened.
/// </summary>
internal static class KnownClients
{
    private const string FileName = "known-clients.json";

    public static void Remember(CliContext context, string target, DirectoryEntry entry)
    {
        var store = CredentialStore.For(context);
        var known = Load(store);
        foreach (var key in Keys(target, entry))
        {
            known[key] = entry;
        }

        store.WritePrivate(FileName, JsonSerializer.SerializeToUtf8Bytes(known, ApiClient.Json));
    }

    public static DirectoryEntry? Find(CliContext context, string target) =>
        Load(CredentialStore.For(context)).GetValueOrDefault(target.Trim().ToLowerInvariant());

    private static IEnumerable<string> Keys(string target, DirectoryEntry entry)
    {
        yield return target.Trim().ToLowerInvariant();
        yield return entry.ClientNumber;
        yield return entry.ClientId.ToString();
        if (entry.Alias is { } alias)
        {
            yield return alias;
            yield return alias.Split('@')[0];
        }
    }

    private static Dictionary<string, DirectoryEntry> Load(CredentialStore store)
    {
        try
        {
            return store.ReadText(FileName) is { } text ? JsonSerializer.Deserialize<Dictionary<string, DirectoryEntry>>(text, ApiClient.Json) ?? [] : [];
        }
        catch (JsonException)
        {
            return [];
        }
    }
}
