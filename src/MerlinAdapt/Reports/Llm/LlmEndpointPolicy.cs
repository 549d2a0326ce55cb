using System.Net;

namespace MerlinAdapt.Reports.Llm;

/// <summary>
/// Reports carry patient information, so by default they only go to a chat endpoint on this machine (a loopback
/// address or "localhost"). A host name is not resolved: a name that happens to point here still needs the explicit
/// permission, which is simpler to reason about than DNS.
/// </summary>
public static class LlmEndpointPolicy
{
    /// <summary>The endpoint URL, checked; an <see cref="InputException"/> naming <paramref name="option"/> when it is not allowed.</summary>
    public static Uri Check(string url, bool allowRemote, string option = "--llm")
    {
        ArgumentNullException.ThrowIfNull(url);
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
            throw new InputException(option, $"\"{url}\" is not an http(s) URL (e.g. http://127.0.0.1:8000/v1)");
        Check(uri, allowRemote, option);
        return uri;
    }

    public static void Check(Uri endpoint, bool allowRemote, string option = "--llm")
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        if (allowRemote || IsLoopback(endpoint)) return;
        throw new InputException(option,
            $"{endpoint.Host} is not this machine; reports carry patient information, so sending them elsewhere needs --allow-remote");
    }

    public static bool IsLoopback(Uri endpoint) =>
        endpoint.IsLoopback || (IPAddress.TryParse(endpoint.Host.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address));
}
