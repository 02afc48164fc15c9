import {MemoryFileStore} from '../../../source/server/files/memory-files.js';
import {fileStoreContract} from './contract.js';

fileStoreContract('memory', async options => new MemoryFileStore(options));
