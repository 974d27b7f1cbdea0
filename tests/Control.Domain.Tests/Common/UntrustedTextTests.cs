using Control.Domain.Common;

namespace Control.Domain.Tests.Common;

public class UntrustedTextTests
{
    [Theory]
    [InlineData("ticket 42 — Überprüfung 済み", "ticket 42 — Überprüfung 済み")]
    [InlineData(@"C:\Users\bob", @"C:\Users\bob")]
    [InlineData("\u001b[2Jcleared", @"\e[2Jcleared")]
    [InlineData("a\r\nb\tc", @"a\r\nb\tc")]
    [InlineData("title\u001b]0;x\u0007", @"title\e]0;x\x07")]
    [InlineData("csi\u009b2J del\u007f", @"csi\x9B2J del\x7F")]
    [InlineData("evil\u202Etxt.exe", @"evil\u202Etxt.exe")]
    [InlineData("line\u2028sep", @"line\u2028sep")]
    public void Inert_EscapesWhatATerminalActsOn_AndKeepsPlainText(string text, string expected) =>
        Assert.Equal(expected, UntrustedText.Inert(text));

    [Fact]
    public void Inert_OfNull_IsNull() => Assert.Null(UntrustedText.Inert(null));
}
