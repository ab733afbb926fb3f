/**
 * The CSR of MrDomain's User Manual example (§8.1 CSR Decode), common name `example.domain.com`:
 * a valid PEM certificate request for `ssl/renew`, shared by the simulator's tests, the worker's
 * tests and the fault campaign.
 */
export const DOCUMENT_CSR = [
  '-----BEGIN CERTIFICATE REQUEST-----',
  'MIIC7zCCAdcCAQAwgakxGzAZBgNVBAMMEmV4YW1wbGUuZG9tYWluLmNvbTEbMBkG',
  'A1UECgwSVGVjaCBTb2x1dGlvbnMgSW5jMRowGAYDVQQLDBFHb3RoYW0gRGVwYXJ0',
  'bWVudDELMAkGA1UEBhMCVVMxEDAOBgNVBAgMB0FyaXpvbmExETAPBgNVBAcMCEJh',
  'cGNodWxlMR8wHQYJKoZIhvcNAQkBFhBpbmZvQGV4YW1wbGUuY29tMIIBIjANBgkq',
  'hkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA6HWtKvCB/v/bE5mD9ZpQuuI1Hbx9FsvJ',
  'O4mFUj+1kzH4bJTIWEKt3qiwpy+HirqonHvgriXyZyq52uhJANrXh13c2qJrd5zQ',
  'dL2Cvi301+C7QH5grA2RfMxNAfLRDEOYI+uw5xxMM8YNZexJeQlAmq6bFPZUUqEO',
  'w4JzT4kw1HK6umxV8ycOyOh50gYckzdzlrOHDrdCJ3+H31CFCRjEe3KVTcvpG6Nf',
  'I5czXLIUYWmHw7i9e0uQIbBMiDkMRVQ9RvS5rjPK+kHPLHblapAJPs2xm5Ow+FSg',
  '805uDqmjZ1sz7u1aw9cPkNGDmHXTyStJu440byRnZtto7dIFF8pKcQIDAQABoAAw',
  'DQYJKoZIhvcNAQEFBQADggEBAHVPoIXS0vtwt8QoQ7iAoa9T+Ypn7hEErbw1amLT',
  'rYy5GtzIN6fesTZcCv/1OuOXTQFXQYGMtVVjUCsF50qLdaHRV8jTl7f0b9raP+Fv',
  'b7d0VLtQx3o3LeSR4IS/C7VpxXqm6lSOSs2R6W5eZ0ot+4K+8wxJZmaY4trCe2dY',
  'OVrEcQbLIWc1lTl71wrbIIzyfiGz9xAK+/Sqf8uv8wtylcTvL1pgBUVJ7XcFzSsl',
  'BBGXsjseGF9+/uIZH0mEgO8GN0UC+deNc71KZTwhpuFwo/hXF7sJtGVt5szX8HBD',
  'J724/s79fnNYwqowoKBXm1bIMZS2D0IEX/M7nX2/u1EQE0k=',
  '-----END CERTIFICATE REQUEST-----',
].join('\n');
