<?php
/**
 * WHMCS hook: when an invoice is paid, ask the registrar gateway to renew every domain-renewal
 * item on it, through POST /webhooks/billing/whmcs (Standard Webhooks signing).
 *
 * Install: copy to <whmcs>/includes/hooks/gateway_renewal_hook.php and set the two constants (or
 * the environment variables of the same names). The secret is the gateway's WEBHOOK_SECRET_WHMCS.
 *
 * - One delivery per invoice item: webhook-id "whmcs-<invoiceid>-<itemid>", so a re-fired hook is a
 *   replay the gateway answers without a second renewal; the billing reference is
 *   "whmcs-invoice-<invoiceid>-domain-<domainid>", the renewal's idempotency key.
 * - The gateway answers 202 with the renewal id; the result arrives later at
 *   WEBHOOK_CALLBACK_URL_WHMCS (a page of yours that verifies the signature the same way).
 * - Failures are logged to the WHMCS activity log; WHMCS does not retry hooks, so a failed
 *   delivery is retried by re-running the hook from the invoice (same ids: no double renewal).
 */

if (!defined('WHMCS')) {
    die('This file cannot be accessed directly');
}

const GATEWAY_URL_DEFAULT = 'https://gateway.example.com/webhooks/billing/whmcs';
const GATEWAY_SECRET_DEFAULT = ''; // whsec_... (WEBHOOK_SECRET_WHMCS)

use WHMCS\Database\Capsule;

function gateway_renewal_sign(string $secret, string $id, int $timestamp, string $body): string
{
    $key = base64_decode(preg_replace('/^whsec_/', '', $secret), true);
    if ($key === false || $key === '') {
        $key = $secret; // a secret that is not whsec_ + base64 is used as raw bytes
    }
    $mac = hash_hmac('sha256', $id . '.' . $timestamp . '.' . $body, $key, true);
    return 'v1,' . base64_encode($mac);
}

function gateway_renewal_send(string $url, string $secret, string $id, array $event): array
{
    $body = json_encode($event, JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE);
    $timestamp = time();
    $ch = curl_init($url);
    curl_setopt_array($ch, [
        CURLOPT_POST => true,
        CURLOPT_POSTFIELDS => $body,
        CURLOPT_RETURNTRANSFER => true,
        CURLOPT_TIMEOUT => 20,
        CURLOPT_HTTPHEADER => [
            'Content-Type: application/json',
            'webhook-id: ' . $id,
            'webhook-timestamp: ' . $timestamp,
            'webhook-signature: ' . gateway_renewal_sign($secret, $id, $timestamp, $body),
        ],
    ]);
    $response = curl_exec($ch);
    $status = (int) curl_getinfo($ch, CURLINFO_HTTP_CODE);
    $error = curl_error($ch);
    curl_close($ch);
    return [$status, $response === false ? $error : $response];
}

add_hook('InvoicePaid', 1, function (array $vars) {
    $url = getenv('GATEWAY_URL') ?: GATEWAY_URL_DEFAULT;
    $secret = getenv('GATEWAY_SECRET') ?: GATEWAY_SECRET_DEFAULT;
    if ($secret === '') {
        logActivity('Gateway renewal hook: no secret configured; nothing sent');
        return;
    }
    $invoiceId = (int) $vars['invoiceid'];
    $items = Capsule::table('tblinvoiceitems')
        ->where('invoiceid', $invoiceId)
        ->where('type', 'DomainRenew')
        ->get();
    foreach ($items as $item) {
        $domain = Capsule::table('tbldomains')->where('id', $item->relid)->first();
        if (!$domain) {
            continue;
        }
        $data = [
            'domain' => $domain->domain,
            'years' => (int) $domain->registrationperiod,
            'reference' => 'whmcs-invoice-' . $invoiceId . '-domain-' . $domain->id,
            'whmcs' => [
                'invoiceId' => $invoiceId,
                'domainId' => (int) $domain->id,
                'userId' => (int) $domain->userid,
            ],
        ];
        // WHMCS's own idea of the current expiry: if the registrar's differs, the gateway does not
        // renew (the callback reports the failure), so a renewal done elsewhere is not paid twice.
        if (preg_match('/^\d{4}-\d{2}-\d{2}$/', (string) $domain->expirydate) && $domain->expirydate !== '0000-00-00') {
            $data['expectedExpiry'] = $domain->expirydate;
        }
        $event = [
            'type' => 'domain.renew',
            'timestamp' => gmdate('Y-m-d\TH:i:s\Z'),
            'data' => $data,
        ];
        [$status, $answer] = gateway_renewal_send($url, $secret, 'whmcs-' . $invoiceId . '-' . $item->id, $event);
        logActivity(sprintf(
            'Gateway renewal hook: %s for invoice %d answered HTTP %d: %s',
            $domain->domain,
            $invoiceId,
            $status,
            substr((string) $answer, 0, 500)
        ));
    }
});
