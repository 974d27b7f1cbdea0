using System.Globalization;
using System.Text;

namespace Control.Domain.Common;

/// <summary>
/// Text that a viewer or an agent supplied (a justification, a path, a command, a host name), made inert for a terminal
/// or a line-oriented log: every control character (C0, DEL, C1), line or paragraph separator, and bidirectional
/// override is written as a visible escape (<c>\n</c>, <c>\e</c>, <c>\u202E</c>), so that the text can neither move the
/// cursor, clear the screen, set a terminal's title or clipboard, reorder what is shown, nor start a line of its own that
/// reads like the agent's or the CLI's. Escaping rather than deleting keeps the attempt visible to whoever reads it.
/// </summary>
public static class UntrustedText
{
    /// <summary><paramref name="text"/> with nothing a terminal acts on; null stays null. Plain text comes back as it is.</summary>
    public static string? Inert(string? text)
    {
        if (text is null || !text.AsSpan().ContainsAny(Unsafe))
        {
            return text;
        }

        var inert = new StringBuilder(text.Length + 8);
        foreach (var c in text)
        {
            if (!IsUnsafe(c))
            {
                inert.Append(c);
                continue;
            }

            inert.Append(c switch
            {
                '\n' => @"\n",
                '\r' => @"\r",
                '\t' => @"\t",
                '\u001b' => @"\e",
                < '\u0100' => string.Create(CultureInfo.InvariantCulture, $"\\x{(int)c:X2}"),
                _ => string.Create(CultureInfo.InvariantCulture, $"\\u{(int)c:X4}"),
            });
        }

        return inert.ToString();
    }

    private static readonly System.Buffers.SearchValues<char> Unsafe = System.Buffers.SearchValues.Create(
        Enumerable.Range(0, 0x10000).Select(i => (char)i).Where(IsUnsafe).ToArray());

    private static bool IsUnsafe(char c) =>
        char.IsControl(c) // C0, DEL and C1 (0x9B is a one-byte CSI on some terminals)
        || c is '\u2028' or '\u2029' // line and paragraph separators
        || c is >= '\u202A' and <= '\u202E' or >= '\u2066' and <= '\u2069' or '\u200E' or '\u200F' or '\u061C'; // bidirectional controls
}
