/**
 * Company domains from free-form Website values: `HTTPS://www.Acme.com:443/about?x=1` → `acme.com`.
 */

const hostname = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;

/** The normalised domain, or undefined when the value holds none (blank, an IP address, not a host). */
export function normaliseDomain(website: unknown): string | undefined {
    if (typeof website !== 'string') return undefined;
    let host = website.trim().toLowerCase();
    host = host.replace(/^[a-z][a-z0-9+.-]*:\/\//, ''); // scheme
    host = host.replace(/^\/\//, '');
    host = host.split(/[/?#]/, 1)[0]; // path, query, fragment
    host = host.slice(host.lastIndexOf('@') + 1); // user info
    host = host.replace(/:\d*$/, ''); // port
    host = host.replace(/\.$/, '');
    host = host.replace(/^www\d*\./, '');
    return hostname.test(host) ? host : undefined;
}
