using MerlinAdapt.Reports.Llm;

namespace MerlinAdapt.Tests.Reports.Llm;

public sealed class LlmEndpointPolicyTests
{
    [Theory]
    [InlineData("http://127.0.0.1:8000/v1")]
    [InlineData("http://127.1.2.3:11434/v1")]
    [InlineData("http://localhost:8080/v1")]
    [InlineData("http://[::1]:8000/v1")]
    [InlineData("https://localhost/v1")]
    public void LoopbackEndpoints_AreAllowed(string url)
    {
        Assert.Equal(new Uri(url), LlmEndpointPolicy.Check(url, allowRemote: false));
    }

    [Theory]
    [InlineData("http://192.168.1.20:8000/v1")]
    [InlineData("http://10.0.0.5/v1")]
    [InlineData("https://api.example.org/v1")]
    [InlineData("http://localhost.example.org/v1")]
    public void OtherHosts_NeedAllowRemote(string url)
    {
        var refused = Assert.Throws<InputException>(() => LlmEndpointPolicy.Check(url, allowRemote: false));

        Assert.Equal("--llm", refused.Path);
        Assert.Contains("--allow-remote", refused.Problem);
        Assert.Equal(new Uri(url), LlmEndpointPolicy.Check(url, allowRemote: true));
    }

    [Theory]
    [InlineData("127.0.0.1:8000")]
    [InlineData("ftp://127.0.0.1/v1")]
    public void NonHttpUrls_AreRefused(string url)
    {
        Assert.Contains("not an http(s) URL", Assert.Throws<InputException>(() => LlmEndpointPolicy.Check(url, allowRemote: true)).Problem);
    }
}
