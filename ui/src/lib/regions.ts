// Regions offered for the AWS CLI profile; names are in the catalogues
// under `regions.<code>`. Seoul first: the handouts are Korean.
export const DEFAULT_REGION = 'ap-northeast-2';

export const REGIONS = [
  'ap-northeast-2',
  'ap-northeast-1',
  'ap-northeast-3',
  'ap-southeast-1',
  'ap-southeast-2',
  'ap-south-1',
  'us-east-1',
  'us-east-2',
  'us-west-2',
  'ca-central-1',
  'eu-west-1',
  'eu-central-1',
  'sa-east-1',
] as const;
