
namespace Control.Agent.Platform;

/// <summary>What a login on this machine starts with, from /etc/login.defs (shadow-utils), as login(1) and pam_umask read it.</summary>
internal static class LoginDefaults
{
    private const uint FallbackMask = 0x12; // 022: files 0644, folders 0755

    /// <summary>UMASK from /etc/login.defs (octal), else 022.</summary>
    public static uint CreationMask(string path = "/etc/login.defs")
    {
        try
        {
            foreach (var line in File.ReadLines(path))
            {
                var fields = line.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
                if (fields is ["UMASK", var value, ..] && TryOctal(value, out var mask))
                {
                    return mask & 0x1FF;
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
        }

        return FallbackMask;
    }

    private static bool TryOctal(string text, out uint value)
    {
        value = 0;
        if (text.Length is 0 or > 4)
        {
            return false;
        }

        foreach (var digit in text)
        {
            if (digit is < '0' or > '7')
            {
                return false;
            }

            value = value * 8 + (uint)(digit - '0');
        }

        return true;
    }
}
