using System.Text.Json;
using Control.Viewer.Infrastructure;

namespace Control.Viewer.Sessions;

/// <summary>Remember-tokens that agents issued to this viewer, per client id (<c>remember-tokens.json</c>, 0600).</summary>
internal static class RememberTokenStore
{
    private const string FileName = "remember-tokens.json";

    public static string? Find(CliContext context, Guid clientId) => Load(CredentialStore.For(context)).GetValueOrDefault(clientId.ToString("N"));

    public static void Save(CliContext context, Guid clientId, string token)
    {
        var store = CredentialStore.For(context);
        var tokens = Load(store);
        tokens[clientId.ToString("N")] = token;
        store.WritePrivate(FileName, JsonSerializer.SerializeToUtf8Bytes(tokens, ViewerJson.Info<Dictionary<string, string>>(ApiClient.Json)));
    }

    private static Dictionary<string, string> Load(CredentialStore store)
    {
        try
        {
            return store.ReadText(FileName) is { } text ? JsonSerializer.Deserialize(text, ViewerJson.Info<Dictionary<string, string>>(ApiClient.Json)) ?? [] : [];
        }
        catch (JsonException)
        {
            return [];
        }
    }
}
