import { DEFAULT_PAGE_SIZE } from '@memfleet/procfs'; console.log(DEFAULT_PAGE_SIZE);
