#!/usr/bin/python3
# search-tokens.py SEARCH_DIR [QUERIES] — character pairs against jieba (python3-jieba, not a
# dependency of briefgen: apt-get install python3-jieba) on an edition's search texts: for each
# query, the briefs whose text holds it are the relevant ones; prints each query either method
# gets wrong and the mean precision and recall (docs/search.md, "Measured against a segmenter").
import json, re, jieba, logging
jieba.setLogLevel(logging.WARNING)
import sys, glob, os
d = sys.argv[1]  # an edition's search folder, such as site/zh/search
meta = json.load(open(os.path.join(d, 'meta.json')))['docs']
docs = []
for k in range((len(meta) + 15) // 16):
    docs += json.load(open(os.path.join(d, 't-%x.json' % k)))
if len(sys.argv) > 2:  # queries converted for another edition, one per line
    queries_file = sys.argv[2]
else:
    queries_file = None
docs = [m[1] + ' ' + (m[3] or '') + ' ' + t for m, t in zip(meta, docs)]
queries = ['記憶體','伺服器','資料中心','推理','毛利','折舊','晶片','電力','叢集','光纖','機櫃','新創','汰換','功耗','算力',
 '雲端','租金','估值','訓練','本益比','頻寬','台積電','網路','預付','資本支出','營收','市占率','冷卻','吉瓦','成本',
 '模型','輸入','用戶','利潤','融資','供應鏈','封裝','液冷','園區','推論','單位','思科','泡沫','階梯','合約','批次','上下文']
if queries_file:
    queries = [l.strip() for l in open(queries_file) if l.strip()]
def bigrams(s):
    out=set()
    for run in re.findall(r'[\u3400-\u9fff]+', s):
        for i in range(len(run)-1): out.add(run[i:i+2])
    return out
dbig=[bigrams(d) for d in docs]
dseg=[set(w for w in jieba.cut_for_search(d) if w.strip()) for d in docs]
def prf(got, want):
    tp=len(got&want); p=tp/len(got) if got else (1.0 if not want else 0.0); r=tp/len(want) if want else 1.0
    return p,r
rows=[]; tot={'big':[0,0],'seg':[0,0]}; n=0
for q in queries:
    want={i for i,d in enumerate(docs) if q in d}
    if not want: continue
    n+=1
    qb=bigrams(q); gb={i for i in range(len(docs)) if qb<=dbig[i]}
    qs=[w for w in jieba.cut_for_search(q) if w.strip()]
    # a document matches when it has the query as one of its words (search mode also indexes the parts of long words)
    gs={i for i in range(len(docs)) if q in dseg[i]}
    pb,rb=prf(gb,want); ps,rs=prf(gs,want)
    tot['big'][0]+=pb; tot['big'][1]+=rb; tot['seg'][0]+=ps; tot['seg'][1]+=rs
    rows.append((q,len(want),len(gb),len(gs),pb,rb,ps,rs,qs))
for r in rows:
    if r[4]<1 or r[5]<1 or r[6]<1 or r[7]<1: print(r[0], 'contain',r[1],'bigram',r[2],'jieba',r[3], 'P/R big %.2f/%.2f jieba %.2f/%.2f'%r[4:8], r[8])
print('queries',n,'bigram P %.3f R %.3f'%(tot['big'][0]/n,tot['big'][1]/n),'jieba P %.3f R %.3f'%(tot['seg'][0]/n,tot['seg'][1]/n))
